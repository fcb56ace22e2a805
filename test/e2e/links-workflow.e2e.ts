import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { join } from 'node:path';
import { test } from './fixtures';
import { screenshot, SCREENSHOT_DIR } from './browser';
import { animationsDone, apiRequest, settle } from './helpers/accounts';
import { createReadyProject, topBarBalance } from './helpers/projects';
import { joinedSocketUrl } from './helpers/join';

type CreatedLink = { id: string; name: string; url: string; token: string };

async function viewportShot(page: Page, name: string) {
	await animationsDone(page);
	await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

async function setUpInterviewer(page: Page, durationMinutes = 5) {
	const projectId = await createReadyProject(page, 'Link workflow study');
	const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
		name: 'Max',
		durationMinutes
	});
	const links = async (input: Record<string, unknown>) =>
		(await apiRequest<{ links: CreatedLink[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, input)).links;
	return { projectId, interviewerId: interviewer.id, links };
}

/** Runs one short interview over the WebSocket, as a respondent's browser would: one typed answer, then leave. */
async function runInterview(url: string, email = `respondent-${crypto.randomUUID().slice(0, 6)}@example.com`): Promise<void> {
	const socket = new WebSocket(await joinedSocketUrl(url, { email }));
	await new Promise<void>((resolve, reject) => {
		socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true })));
		socket.addEventListener('message', (event) => {
			if (typeof event.data !== 'string') return;
			const message = JSON.parse(event.data) as { type: string };
			if (message.type === 'welcome') {
				socket.send(JSON.stringify({ type: 'text', content: 'I buy groceries online every week.' }));
				socket.send(JSON.stringify({ type: 'leave' }));
			}
			if (message.type === 'ended') resolve();
			if (message.type === 'error') reject(new Error(event.data));
		});
	});
	socket.close();
}

const menu = async (page: Page, linkName: string, item: string, role: 'button' | 'link' = 'button') => {
	await page.getByRole('button', { name: `More actions for ${linkName}` }).click();
	await page.getByRole(role, { name: item, exact: true }).click();
};

describe('link workflow', () => {
	test('changes a link’s max uses and expiry from the row menu, tops up over the dialog, and the menu fits at 360 px', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, links } = await setUpInterviewer(page);
		const [newsletter] = await links({ kind: 'public', name: 'Newsletter readers', maxUses: 2 });
		const [pilot] = await links({ kind: 'single', count: 1, name: 'Pilot customer', expiresInDays: 7 });
		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('tab', { name: 'Active (2)' }).waitFor();
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 105, reserved: 15 });

		await menu(page, 'Newsletter readers', 'Change settings');
		const dialog = page.getByRole('dialog', { name: 'Change settings' });
		await dialog.getByText('No interview has started on it yet. 0 means unlimited.').waitFor();
		expect(await dialog.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
		await dialog.getByLabel('Maximum interviews').fill('5');
		await dialog
			.getByRole('status')
			.filter({ hasText: 'This reserves 15 more tokens (3 more uses × 5 min × 1 token). You have 105 available.' })
			.waitFor();

		// The balance drops behind the dialog's back: the server refuses the raise with the shortfall.
		await dialog.getByLabel('Maximum interviews').fill('20');
		await dialog.getByRole('status').filter({ hasText: 'This reserves 90 more tokens' }).waitFor();
		await links({ kind: 'single', count: 4 });
		await dialog.getByRole('button', { name: 'Save settings' }).click();
		await dialog
			.getByRole('alert')
			.filter({ hasText: 'Not enough tokens: 5 more tokens needed. Buy tokens, or raise the cap less.' })
			.waitFor();
		await dialog.getByText('You are 5 tokens short.').waitFor();

		// Too many for the balance: Save waits, and Buy tokens opens over the dialog and comes back to it.
		await dialog.getByLabel('Maximum interviews').fill('40');
		await dialog.getByText('You are 105 tokens short.').waitFor();
		expect(await dialog.getByRole('alert').count()).toBe(0);
		expect(await dialog.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
		await dialog.getByRole('button', { name: 'Buy tokens' }).click();
		const buy = page.getByRole('dialog', { name: 'Buy tokens' });
		await buy.getByRole('button', { name: 'Dev top-up (local only): Starter' }).click();
		await buy.waitFor({ state: 'hidden' });
		expect(await dialog.getByLabel('Maximum interviews').inputValue()).toBe('40');
		await dialog
			.getByRole('status')
			.filter({ hasText: 'This reserves 190 more tokens (38 more uses × 5 min × 1 token). You have 585 available.' })
			.waitFor();
		await dialog.getByLabel('Maximum interviews').fill('5');

		await dialog.getByLabel('Never expires').uncheck();
		const lastDay = await page.evaluate(() => {
			const day = new Date(Date.now() + 40 * 86_400_000);
			const pad = (value: number) => String(value).padStart(2, '0');
			return {
				input: `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`,
				expiresAt: new Date(day.getFullYear(), day.getMonth(), day.getDate(), 23, 59, 59, 999).toISOString()
			};
		});
		await dialog.getByLabel('Works until the end of').fill(lastDay.input);
		await dialog.getByRole('button', { name: 'Save settings' }).click();
		await dialog.waitFor({ state: 'hidden' });
		await page
			.getByRole('row', { name: /Newsletter readers/ })
			.getByText('0 / 5')
			.waitFor();
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 570, reserved: 50 });
		const saved = (await (await page.request.get(`/api/links/${newsletter!.id}`)).json()) as { expiresAt: string; maxUses: number };
		expect(saved).toMatchObject({ expiresAt: lastDay.expiresAt, maxUses: 5 });

		// Unlimited gives the unused uses back.
		await menu(page, 'Newsletter readers', 'Change settings');
		await dialog.getByLabel('Maximum interviews').fill('0');
		await dialog.getByRole('status').filter({ hasText: '25 tokens come back to your balance.' }).waitFor();
		await dialog.getByText('Unlimited: each interview reserves 5 tokens when it starts.').waitFor();
		await dialog.getByRole('button', { name: 'Save settings' }).click();
		await dialog.waitFor({ state: 'hidden' });
		await page
			.getByRole('row', { name: /Newsletter readers/ })
			.getByText('0 / ∞')
			.waitFor();
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 595, reserved: 25 });

		// A pending single-use link changes only its expiry.
		await menu(page, 'Pilot customer', 'Change settings');
		await dialog.getByLabel('Works until the end of').waitFor();
		expect(await dialog.getByLabel('Maximum interviews').count()).toBe(0);
		await dialog.getByLabel('Never expires').check();
		await dialog.getByRole('button', { name: 'Save settings' }).click();
		await dialog.waitFor({ state: 'hidden' });
		await page
			.getByRole('row', { name: /Pilot customer/ })
			.getByText('Never')
			.waitFor();
		expect(((await (await page.request.get(`/api/links/${pilot!.id}`)).json()) as { expiresAt: string | null }).expiresAt).toBeNull();

		await page.setViewportSize({ width: 360, height: 800 });
		await page.getByRole('button', { name: 'More actions for Pilot customer' }).click();
		const labels = page.locator('.menu-item .label');
		await labels.first().waitFor();
		const cut = await labels.evaluateAll((spans) =>
			spans.filter((span) => span.scrollWidth > span.clientWidth).map((span) => span.textContent)
		);
		expect(cut).toEqual([]);
		expect(await labels.allTextContents()).toContain('Open in a new tab');
		await viewportShot(page, 'link-row-menu-360-light');
		await page.keyboard.press('Escape');
		await menu(page, 'Pilot customer', 'Change settings');
		await dialog.getByLabel('Never expires').waitFor();
		await viewportShot(page, 'link-settings-360-light');
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		await page.emulateMedia({ colorScheme: 'dark' });
		await menu(page, 'Newsletter readers', 'Change settings');
		await dialog.getByLabel('Maximum interviews').fill('8');
		await dialog.getByRole('status').filter({ hasText: 'This reserves 40 more tokens' }).waitFor();
		await viewportShot(page, 'link-settings-360-dark');
		// The one refused request is the 402 this test provoked; the browser logs every failed request.
		expect(problems.filter((problem) => !problem.includes('402 (Payment Required)'))).toEqual([]);
		expect(problems).toHaveLength(1);
	});

	test('Create links: Create waits while tokens are short, errors clear on a change, Buy tokens keeps the form, and the private-link room is live', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, links } = await setUpInterviewer(page, 15);
		await links({ kind: 'private', names: ['Group 1', 'Group 2'], maxUses: 0 });
		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('tab', { name: 'Active (2)' }).waitFor();
		await page.getByRole('button', { name: 'Create links' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Create links' });

		await dialog.getByLabel('Number of links').fill('9');
		await dialog.getByText('You are 15 tokens short.').waitFor();
		expect(await dialog.getByRole('button', { name: 'Create 9 links' }).isDisabled()).toBe(true);
		await dialog.getByLabel('Context').fill('Customers from the spring campaign.');
		await dialog.getByRole('button', { name: 'Buy tokens' }).click();
		const buy = page.getByRole('dialog', { name: 'Buy tokens' });
		await buy.getByRole('button', { name: 'Dev top-up (local only): Starter' }).click();
		await buy.waitFor({ state: 'hidden' });
		await dialog
			.getByRole('status')
			.filter({ hasText: 'This reserves 135 tokens (9 links × 15 min × 1 token). You have 620 available.' })
			.waitFor();
		expect(await dialog.getByLabel('Number of links').inputValue()).toBe('9');
		expect(await dialog.getByLabel('Context').inputValue()).toBe('Customers from the spring campaign.');
		expect(await dialog.getByRole('button', { name: 'Create 9 links' }).isEnabled()).toBe(true);

		// The balance drops behind the form's back: the server's 402 shows, and goes once the count changes.
		await links({ kind: 'single', count: 33 });
		await dialog.getByRole('button', { name: 'Create 9 links' }).click();
		await dialog.getByRole('alert').filter({ hasText: 'Not enough tokens: 10 more tokens needed.' }).waitFor();
		expect(await dialog.getByRole('button', { name: 'Create 9 links' }).isDisabled()).toBe(true);
		await dialog.getByLabel('Number of links').fill('8');
		await dialog
			.getByRole('status')
			.filter({ hasText: 'This reserves 120 tokens (8 links × 15 min × 1 token). You have 125 available.' })
			.waitFor();
		expect(await dialog.getByRole('alert').count()).toBe(0);
		expect(await dialog.getByRole('button', { name: 'Create 8 links' }).isEnabled()).toBe(true);

		await dialog.getByLabel('Private named links').check();
		const names = dialog.getByLabel('Names, one per line');
		await names.fill(Array.from({ length: 3 }, (_, index) => `Person ${index + 1}`).join('\n'));
		await dialog.getByText('3 / 48 names. Max has 2 of its 50 open private links already.').waitFor();
		await names.fill(Array.from({ length: 49 }, (_, index) => `Person ${index + 1}`).join('\n'));
		await dialog.getByText('An interviewer has at most 50 open private links; Max has 2, so there is room for 48 more.').first().waitFor();
		expect(await dialog.getByRole('button', { name: 'Create 49 links' }).isDisabled()).toBe(true);
		await settle(page);
		await viewportShot(page, 'create-links-private-limit-1280-light');
		// The one refused request is the 402 this test provoked; the browser logs every failed request.
		expect(problems.filter((problem) => !problem.includes('402 (Payment Required)'))).toEqual([]);
		expect(problems).toHaveLength(1);
	});

	test('done links are in Completed and lead to their records, names survive regenerate, and an offline interviewer pauses the rows', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, interviewerId, links } = await setUpInterviewer(page);
		const [single] = await links({ kind: 'single', count: 1 });
		const [spare] = await links({ kind: 'single', count: 1 });
		const [publicLink] = await links({ kind: 'public', name: 'Newsletter readers', maxUses: 1 });
		expect(single!.name).toMatch(/^Link [A-Za-z0-9_-]{6}$/);
		const regenerated = await apiRequest<CreatedLink>(page, 'POST', `/api/links/${single!.id}/regenerate`);
		expect(regenerated.name).toBe(single!.name);
		await runInterview(regenerated.url);
		await runInterview(publicLink!.url);

		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('tab', { name: 'Completed (2)' }).click();
		await page
			.getByRole('row', { name: /Newsletter readers/ })
			.getByText('Completed')
			.waitFor();
		await page.getByRole('row', { name: new RegExp(single!.name) }).waitFor();
		expect(await page.getByRole('tab', { name: 'Archived (0)' }).count()).toBe(1);

		await menu(page, single!.name, 'Open record', 'link');
		await page.waitForURL('**/records/**');
		await page.getByText(single!.name).first().waitFor();
		await page.goBack();

		await page.getByRole('tab', { name: 'Completed (2)' }).click();
		await menu(page, 'Newsletter readers', 'Records from this link', 'link');
		await page.waitForURL(`**/projects/${projectId}/records?linkId=${publicLink!.id}`);
		const filter = page.getByRole('combobox', { name: 'Link' });
		await expect.poll(() => filter.inputValue()).toBe(publicLink!.id);
		await page.getByText('1 record', { exact: true }).waitFor();
		await page.getByRole('row', { name: /Newsletter readers/ }).waitFor();
		const options = await filter.locator('option').allTextContents();
		expect(options).toEqual(expect.arrayContaining(['All links', 'Newsletter readers', single!.name, spare!.name]));
		await filter.selectOption(single!.id);
		await page.waitForURL(`**/records?linkId=${single!.id}`);
		await page.getByRole('row', { name: new RegExp(single!.name) }).waitFor();
		await page.getByText('1 record', { exact: true }).waitFor();
		await filter.selectOption('');
		await page.getByText('2 records', { exact: true }).waitFor();
		await settle(page);
		await screenshot(page, 'records-link-filter-1280-light');

		// A used-up link changes its cap only, and raising it brings the link back to Active.
		await page.goto(`/projects/${projectId}/links?tab=completed`);
		await menu(page, 'Newsletter readers', 'Change settings');
		const settings = page.getByRole('dialog', { name: 'Change settings' });
		await settings.getByText('This link is used up: raising its cap opens it again.').waitFor();
		expect(await settings.getByLabel('Never expires').count()).toBe(0);
		await settings.getByLabel('Maximum interviews').fill('2');
		await settings.getByRole('status').filter({ hasText: 'This reserves 5 more tokens' }).waitFor();
		await settings.getByRole('button', { name: 'Save settings' }).click();
		await page.getByRole('tab', { name: 'Active (2)' }).click();
		await page
			.getByRole('row', { name: /Newsletter readers/ })
			.getByText('1 / 2')
			.waitFor();

		await apiRequest(page, 'PATCH', `/api/interviewers/${interviewerId}`, { status: 'offline' });
		await page.goto(`/projects/${projectId}/links`);
		await page.getByText('Max is offline: its links are paused and refuse every new interview.').waitFor();
		await page
			.getByRole('row', { name: new RegExp(spare!.name) })
			.getByText('Paused')
			.waitFor();
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.setViewportSize({ width: 360, height: 800 });
		await settle(page);
		await screenshot(page, 'links-offline-360-dark');
		await apiRequest(page, 'PATCH', `/api/interviewers/${interviewerId}`, { status: 'live' });
		await page.reload();
		await page
			.getByRole('row', { name: new RegExp(spare!.name) })
			.getByText('Not used yet')
			.waitFor();
		expect(await page.getByText('Max is offline').count()).toBe(0);
		expect(problems).toEqual([]);
	});
});
