import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect } from 'vitest';
import { openPage } from './browser';
import { test } from './fixtures';
import { completeOnboarding, createLink, createResearcher, turns, type Researcher } from './helpers/respondent';

/** The respondent page's own bundled scripts (its entry's hashed chunks), as the page fetched them. */
const isAppScript = (url: string) => new URL(url).pathname.startsWith('/respondent/') && url.endsWith('.js');

/** What a respondent may download before pressing Start: the budget `npm run bench:page` reports against. */
const BUDGET_BYTES = 40 * 1024;

describe("respondent page's code", () => {
	let researcher: Researcher;

	beforeAll(async () => {
		researcher = await createResearcher();
	});

	test('loads at most 40 KB of gzipped JavaScript before Start, none of it the dashboard’s or the schema library’s', async ({
		browser
	}) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser);
		const scripts: { path: string; body: Buffer; cacheControl: string }[] = [];
		const pending: Promise<void>[] = [];
		page.on('response', (response) => {
			const isScript = response.request().resourceType() === 'script' || (response.headers()['content-type'] ?? '').includes('javascript');
			const cacheControl = response.headers()['cache-control'] ?? '';
			if (isScript)
				pending.push(response.body().then((body) => void scripts.push({ path: new URL(response.url()).pathname, body, cacheControl })));
		});

		await page.goto(link.url, { waitUntil: 'networkidle' });
		await page.getByRole('heading', { level: 1, name: 'Evening habits study' }).waitFor();
		await page.locator('form.start').waitFor();
		await Promise.all(pending);

		expect(scripts.length).toBeGreaterThan(0);
		expect(scripts.filter((script) => !script.path.startsWith('/respondent/'))).toEqual([]);
		for (const { path, body, cacheControl } of scripts) {
			expect(body.toString('utf8'), path).not.toMatch(/ZodError|\$ZodType/);
			// Hashed names: a returning respondent's browser keeps them.
			expect(cacheControl, path).toContain('immutable');
		}
		const gzipped = scripts.reduce((sum, script) => sum + gzipSync(script.body, { level: 9 }).byteLength, 0);
		expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
		expect(problems).toEqual([]);
		await context.close();
	});

	test('the shell applies the colour scheme chosen on this site before the page’s script, under its CSP, and the title follows the link', async ({
		browser
	}) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser);
		await page.addInitScript(() => localStorage.setItem('parley.theme', 'dark'));
		// What the theme script did is read before any module script (the page's code) has run.
		await page.addInitScript(() =>
			document.addEventListener('readystatechange', () => {
				if (document.readyState === 'interactive')
					(window as unknown as { themeAtParse: string }).themeAtParse = document.documentElement.dataset.theme ?? '';
			})
		);
		await page.goto(link.url);
		await page.getByRole('heading', { level: 1, name: 'Evening habits study' }).waitFor();
		expect(await page.evaluate(() => (window as unknown as { themeAtParse: string }).themeAtParse)).toBe('dark');
		await expect.poll(() => page.title()).toBe('Evening habits study · Interview');
		expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
		expect(problems).toEqual([]);
		await context.close();
	});

	test('says so and offers to try again when its strings or the call’s code cannot be fetched', async ({ browser }) => {
		const link = await createLink(researcher);
		const { context, page } = await openPage(browser);
		await page.route(/\/respondent\/messages-en-[^/]*\.js$/, (route) => route.abort('internetdisconnected'));
		await page.goto(link.url);
		await page.getByRole('alert').filter({ hasText: 'We couldn’t load this interview. Check your connection and try again.' }).waitFor();
		await page.getByRole('button', { name: 'Try again' }).waitFor();
		await page.close();

		// The call's code is fetched at Start; without it, no socket opens and the respondent can go back.
		const second = await context.newPage();
		const sockets: string[] = [];
		second.on('websocket', (socket) => sockets.push(socket.url()));
		await second.route(/\/respondent\/call-connection-[^/]*\.js$/, (route) => route.abort('internetdisconnected'));
		await second.goto(link.url);
		await completeOnboarding(second, 'offline-start@example.com', 'text');
		await second.getByRole('button', { name: 'Start interview' }).click();
		await second.getByRole('alert').filter({ hasText: 'We couldn’t load this interview.' }).waitFor();
		await second.getByRole('button', { name: 'Try again' }).click();
		await second.getByRole('button', { name: 'Start interview' }).waitFor();
		expect(sockets).toEqual([]);
		await context.close();
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
