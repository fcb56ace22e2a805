import { beforeAll, describe, expect } from 'vitest';
import { openPage } from './browser';
import { test } from './fixtures';
import { completeOnboarding, createLink, createResearcher, turns, type Researcher } from './helpers/respondent';

/** The app's own bundled scripts (SvelteKit's immutable chunks), as the page fetched them. */
const isAppScript = (url: string) => new URL(url).pathname.startsWith('/_app/immutable/') && url.endsWith('.js');

describe("respondent page's code", () => {
	let researcher: Researcher;

	beforeAll(async () => {
		researcher = await createResearcher();
	});

	test("fetches the call's code when Start is pressed, and shows the end without the network", async ({ browser }) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser);
		const fetched: string[] = [];
		page.on('response', (response) => {
			if (isAppScript(response.url())) fetched.push(response.url());
		});

		await page.goto(link.url);
		await page.getByRole('heading', { level: 1, name: 'Evening habits study' }).waitFor();
		await completeOnboarding(page, 'chunks@example.com', 'text');
		await page.waitForLoadState('networkidle');
		const beforeStart = new Set(fetched);

		await page.getByRole('button', { name: 'Start interview' }).click();
		await turns(page, 'interviewer').filter({ hasText: 'When do you usually use the app?' }).waitFor();
		await page.waitForLoadState('networkidle');
		const afterStart = fetched.filter((url) => !beforeStart.has(url));
		expect(afterStart.length).toBeGreaterThan(0);

		// With the network gone, the end of the call still has its view: it was fetched with the call's.
		await context.setOffline(true);
		await page.getByRole('button', { name: 'Leave', exact: true }).click();
		await page.getByRole('dialog', { name: 'Leave the interview?' }).getByRole('button', { name: 'Leave interview' }).click();
		await page.getByRole('heading', { level: 1, name: 'Thank you!' }).waitFor();
		expect(problems.filter((problem) => !/net::ERR_INTERNET_DISCONNECTED|WebSocket/i.test(problem))).toEqual([]);
		await context.close();
	});
});
