import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl, openPage, screenshot } from './browser';
import { animationsDone, apiRequest, settle } from './helpers/accounts';
import { axeViolations } from './helpers/axe';
import { createReadyProject } from './helpers/projects';
import { createLink, createResearcher, type CreatedLink, type Researcher } from './helpers/respondent';

const ANSWERS = [
	'Mostly in the evening after dinner, when the children are asleep and the house is finally quiet.',
	'On the sofa in the living room, usually with the television on in the background and tea nearby.',
	'I would make the search faster and let me save the things I look at most often for later on.'
];
const EMAIL = 'embedded-respondent@example.com';
const MAX_EMBED_SCRIPT_GZIPPED = 5 * 1024;

/**
 * A researcher's website on its own port: the embed tag, embed.js loaded a second time, and a
 * listener that keeps the messages the interview posts (from Parley's origin only).
 */
function websitePage(token: string, mode: 'inline' | 'button'): string {
	const parley = baseUrl();
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our research</title></head><body>
<h1>Help us improve</h1>
<script>
window.parleyMessages = [];
window.addEventListener('message', (event) => {
	if (event.origin !== ${JSON.stringify(parley)}) return;
	window.parleyMessages.push(event.data);
});
</script>
<script src="${parley}/embed.js" data-link="${token}" data-mode="${mode}" data-email="${EMAIL}" async></script>
<script src="${parley}/embed.js" async></script>
</body></html>`;
}

async function startWebsite(page: (url: URL) => string): Promise<{ server: Server; origin: string }> {
	const server = createServer((request, response) => {
		response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		response.end(page(new URL(request.url ?? '/', 'http://127.0.0.1')));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('an interview embedded on a researcher’s website', () => {
	let researcher: Researcher;
	let link: CreatedLink & { token: string };
	let allowed: { server: Server; origin: string };
	let stranger: { server: Server; origin: string };

	beforeAll(async () => {
		researcher = await createResearcher();
		allowed = await startWebsite((url) => websitePage(link.token, url.searchParams.get('mode') === 'button' ? 'button' : 'inline'));
		stranger = await startWebsite(() => websitePage(link.token, 'inline'));
		link = (await createLink(researcher, { kind: 'public', allowedOrigins: [allowed.origin] })) as CreatedLink & { token: string };
	});

	afterAll(() => {
		allowed.server.close();
		stranger.server.close();
	});

	test('embed.js is small and /embed sends frame-ancestors for the allowed website only', async () => {
		const script = await fetch(`${baseUrl()}/embed.js`);
		expect(script.status).toBe(200);
		expect(gzipSync(Buffer.from(await script.arrayBuffer())).byteLength).toBeLessThanOrEqual(MAX_EMBED_SCRIPT_GZIPPED);

		const embed = await fetch(`${baseUrl()}/embed/${link.token}`);
		expect(embed.status).toBe(200);
		expect(embed.headers.get('Content-Security-Policy')).toMatch(new RegExp(`frame-ancestors ${allowed.origin}(;|$)`));
		expect(embed.headers.get('Content-Security-Policy')).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/);
		expect(embed.headers.get('X-Frame-Options')).toBeNull();

		const respondentPage = await fetch(`${baseUrl()}/interview/${link.token}`);
		expect(respondentPage.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
		expect(respondentPage.headers.get('X-Frame-Options')).toBe('DENY');
	});

	test('runs to completion inside the frame and the website hears parley:started and parley:completed', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser);
		await page.goto(`${allowed.origin}/`);
		// Loaded twice, embed.js still mounts the one tag once.
		await expect.poll(() => page.locator('iframe').count()).toBe(1);
		expect(await page.locator('iframe').getAttribute('allow')).toContain('microphone');
		const frame = page.frameLocator('iframe');

		await expect.poll(() => frame.getByLabel('Your email').inputValue()).toBe(EMAIL);
		await frame.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
		// The frame's microphone is delegated (allow="microphone"): the fake microphone answers the first question.
		await frame.getByRole('button', { name: 'Allow microphone' }).click();
		await frame.getByText('The microphone is on.').waitFor();
		await frame.getByRole('button', { name: 'Start interview' }).click();
		await frame.locator('li.turn[data-role="respondent"]').first().waitFor({ timeout: 45_000 });
		const completed = () =>
			page.evaluate(() =>
				(window as unknown as { parleyMessages: { type: string }[] }).parleyMessages.some((message) => message.type === 'parley:completed')
			);
		// The microphone may answer every question by itself; answers are also typed, until the interviewer closes. The call can
		// end between two steps (the microphone answered the last question), so each step waits briefly and the loop asks again.
		const box = frame.getByLabel('Type your answer');
		for (let index = 0; index < ANSWERS.length + 4 && !(await completed()); index += 1) {
			await expect.poll(async () => (await completed()) || (await box.isVisible()), { timeout: 20_000 }).toBe(true);
			const asked = await frame.locator('li.turn[data-role="interviewer"]').count();
			try {
				await box.fill(ANSWERS[index % ANSWERS.length]!, { timeout: 3_000 });
				await frame.getByRole('button', { name: 'Send' }).click({ timeout: 3_000 });
			} catch {
				continue;
			}
			await expect
				.poll(async () => (await completed()) || (await frame.locator('li.turn[data-role="interviewer"]').count()) > asked, {
					timeout: 20_000
				})
				.toBe(true);
		}
		await page.waitForFunction(() =>
			(window as unknown as { parleyMessages: { type: string }[] }).parleyMessages.some((message) => message.type === 'parley:completed')
		);
		const messages = await page.evaluate(() => (window as unknown as { parleyMessages: unknown[] }).parleyMessages);
		expect(messages).toEqual([{ type: 'parley:started' }, { type: 'parley:completed', reason: 'completed' }]);
		await screenshot(page, 'embed-inline-completed');
		expect(problems).toEqual([]);
		await context.close();
	});

	test('the button opens the interview in an overlay that closes again', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 780 } });
		await page.goto(`${allowed.origin}/?mode=button`);
		await page.getByRole('button', { name: 'Take the interview' }).click();
		const overlay = page.getByRole('dialog', { name: 'Interview' });
		await overlay.waitFor();
		await page.frameLocator('iframe').getByLabel('Your email').waitFor();
		await screenshot(page, 'embed-overlay-mobile');
		await overlay.getByRole('button', { name: 'Close' }).click();
		await overlay.waitFor({ state: 'detached' });
		expect(await page.locator('iframe').count()).toBe(0);
		expect(problems).toEqual([]);
		await context.close();
	});

	test('a website that is not allowed cannot frame the interview', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser);
		await page.goto(`${stranger.origin}/`);
		await expect.poll(() => problems.some((problem) => /frame-ancestors/.test(problem))).toBe(true);
		const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
		expect(frame?.url().startsWith(baseUrl())).toBe(false);
		expect(await page.frameLocator('iframe').getByLabel('Your email').count()).toBe(0);
		await context.close();
	});
});

describe('Embed on a website, in the links list', () => {
	test('sets a link’s Allowed websites and shows the snippets to paste', async ({ signedIn: { page, problems } }) => {
		await page.setViewportSize({ width: 360, height: 780 });
		await page.emulateMedia({ colorScheme: 'dark' });
		const projectId = await createReadyProject(page);
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, { name: 'Embedded' });
		const {
			links: [link]
		} = await apiRequest<{ links: (CreatedLink & { token: string; name: string })[] }>(
			page,
			'POST',
			`/api/interviewers/${interviewer.id}/links`,
			{ kind: 'public', name: 'Website visitors' }
		);
		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('button', { name: 'More actions for Website visitors' }).click();
		await page.getByRole('button', { name: 'Embed on a website' }).click();
		const dialog = page.getByRole('dialog', { name: 'Embed on a website' });
		const snippet = `<script src="${baseUrl()}/embed.js" data-link="${link!.token}" async></script>`;
		expect(await dialog.getByLabel('Button snippet').inputValue()).toBe(snippet);
		expect(await dialog.getByLabel('Inline snippet').inputValue()).toContain('data-mode="inline"');

		await dialog.getByLabel('Allowed websites').fill('https://www.example.com/survey');
		await dialog.getByRole('button', { name: 'Save websites' }).click();
		await dialog.getByText(/no path and no trailing slash/).waitFor();
		await dialog.getByLabel('Allowed websites').fill('https://www.example.com\n\nhttps://shop.example.com\n');
		await dialog.getByRole('button', { name: 'Save websites' }).click();
		await dialog.waitFor({ state: 'detached' });
		await settle(page);

		const embed = await fetch(`${baseUrl()}/embed/${link!.token}`);
		expect(embed.headers.get('Content-Security-Policy')).toContain('frame-ancestors https://www.example.com https://shop.example.com');
		await page.getByRole('button', { name: 'More actions for Website visitors' }).click();
		await page.getByRole('button', { name: 'Embed on a website' }).click();
		expect(await dialog.getByLabel('Allowed websites').inputValue()).toBe('https://www.example.com\nhttps://shop.example.com');
		await animationsDone(page);
		await screenshot(page, 'embed-dialog-360-dark');
		expect(await axeViolations(page, 'embed dialog (dark, 360 px)')).toEqual([]);
		// The browser logs the refused save (400); nothing else went wrong.
		expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
	});
});
