import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, screenshot, SCREENSHOT_DIR } from './browser';
import { animationsDone, apiRequest, settle } from './helpers/accounts';
import { createReadyProject, topBarBalance } from './helpers/projects';

/** Dialogs sit in the top layer, so they are shot as the viewport shows them rather than as a full page. */
async function viewportShot(page: Page, name: string) {
	await animationsDone(page);
	await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

async function createFromDialog(page: Page, fill: () => Promise<void>, expectedPreview: string | RegExp, createLabel: string | RegExp) {
	const dialog = page.getByRole('dialog', { name: 'Create links' });
	await fill();
	await dialog.getByRole('status').filter({ hasText: expectedPreview }).waitFor();
	await dialog.getByRole('button', { name: createLabel }).click();
	await page.getByRole('dialog', { name: 'Links created' }).waitFor();
}

describe('links', () => {
	test('creates every kind of link with a reservation preview, and a cancelled link refuses its respondent', async ({
		browser,
		signedIn: { page, problems }
	}) => {
		const projectId = await createReadyProject(page);

		await page.goto(`/projects/${projectId}/interviewers`);
		await page.getByRole('button', { name: 'New interviewer' }).click();
		const interviewerDialog = page.getByRole('dialog', { name: 'New interviewer' });
		await interviewerDialog.getByLabel('Name').fill('Ava');
		await interviewerDialog.getByLabel('Topics').fill('Checkout, Delivery,');
		await interviewerDialog.getByRole('button', { name: 'Create interviewer' }).click();
		await page.getByRole('heading', { name: 'Ava' }).waitFor();
		await page.getByRole('switch', { name: 'Ava is live' }).waitFor();
		expect(await page.getByRole('switch', { name: 'Ava is live' }).getAttribute('aria-checked')).toBe('true');
		await settle(page);
		await screenshot(page, 'interviewers-1280-light');

		await page.getByRole('link', { name: 'Links', exact: true }).first().click();
		await page.waitForURL(`**/projects/${projectId}/links**`);
		await page.getByRole('heading', { name: 'No active links' }).waitFor();
		await page.getByRole('button', { name: 'Create links' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Create links' });
		await dialog.getByLabel('Number of links').fill('3');
		await dialog
			.getByRole('status')
			.filter({ hasText: 'This reserves 45 tokens (3 links × 15 min × 1 token). You have 120 available.' })
			.waitFor();
		await dialog.getByLabel('Number of links').fill('9');
		await dialog.getByText('You are 15 tokens short.').waitFor();
		await dialog.getByRole('button', { name: 'Buy tokens' }).waitFor();
		await settle(page);
		await viewportShot(page, 'create-links-modal-1280-light');

		await createFromDialog(
			page,
			() => dialog.getByLabel('Number of links').fill('2'),
			'This reserves 30 tokens (2 links × 15 min × 1 token).',
			'Create 2 links'
		);
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 90, reserved: 30 });

		await page.getByRole('button', { name: 'Create more' }).click();
		await createFromDialog(
			page,
			async () => {
				await dialog.getByLabel('Anyone with the link').check();
				await dialog.getByLabel('Maximum interviews per link').fill('3');
			},
			'This reserves 45 tokens (1 link × 3 uses × 15 min × 1 token). You have 90 available.',
			'Create link'
		);

		await page.getByRole('button', { name: 'Create more' }).click();
		await createFromDialog(
			page,
			async () => {
				await dialog.getByLabel('Private named links').check();
				await dialog.getByLabel('Names, one per line').fill('Student Group A\nStudent Group B');
				await dialog.getByText('2 / 50 names.').waitFor();
			},
			'Nothing is reserved up front; each interview reserves 15 tokens when it starts.',
			'Create 2 links'
		);
		await page.getByRole('dialog', { name: 'Links created' }).getByRole('button', { name: 'Done' }).click();
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 45, reserved: 75 });

		await page.getByRole('tab', { name: 'Active (5)' }).waitFor();
		const rows = page.locator('tbody tr');
		await expect.poll(() => rows.count()).toBe(5);
		await page
			.getByRole('row', { name: /Anyone with the link/ })
			.getByText('0 / 3')
			.waitFor();
		await page
			.getByRole('row', { name: /Student Group A/ })
			.getByText('0 / ∞')
			.waitFor();
		await settle(page);
		await screenshot(page, 'links-table-1280-light');

		await page.getByRole('button', { name: 'Copy link Anyone with the link' }).click();
		const url = await page.evaluate(() => navigator.clipboard.readText());
		expect(url).toMatch(/\/interview\/[A-Za-z0-9_-]{20,}$/);
		const token = url.split('/').pop()!;
		const publicLink = (await (await page.request.get(`/api/public/links/${token}`)).json()) as { state: string; title: string | null };
		expect(publicLink.state).toBe('open');

		const respondent = await openPage(browser);
		await respondent.page.goto(url);
		await respondent.page
			.getByText(publicLink.title ?? 'Before you start')
			.first()
			.waitFor();

		await page.getByRole('button', { name: 'More actions for Anyone with the link' }).click();
		await page.getByRole('button', { name: 'Cancel link' }).click();
		const confirm = page.getByRole('dialog', { name: 'Cancel this link?' });
		await confirm.getByText('The 45 tokens reserved for it come back to your balance.').waitFor();
		await confirm.getByRole('button', { name: 'Cancel link' }).click();
		await page.getByRole('tab', { name: 'Archived (1)' }).waitFor();
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 90, reserved: 30 });

		await respondent.page.reload();
		await respondent.page
			.getByText(/cancelled/i)
			.first()
			.waitFor();
		expect(respondent.problems).toEqual([]);
		await respondent.context.close();

		await page.emulateMedia({ colorScheme: 'dark' });
		await settle(page);
		await screenshot(page, 'links-table-1280-dark');
		await page.setViewportSize({ width: 360, height: 800 });
		await settle(page);
		await screenshot(page, 'links-table-360-dark');
		await page.getByRole('button', { name: 'Create links' }).first().click();
		await dialog.getByLabel('Anyone with the link').check();
		await dialog.getByRole('status').filter({ hasText: 'Nothing is reserved up front' }).waitFor();
		await viewportShot(page, 'create-links-modal-360-dark');

		expect(problems).toEqual([]);
	});

	test('renames, edits disables, regenerates and deletes links, exports them, and takes the interviewer offline', async ({
		signedIn: { page, problems }
	}) => {
		const projectId = await createReadyProject(page, 'Onboarding interviews');
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Max',
			durationMinutes: 5
		});
		await apiRequest(page, 'POST', `/api/interviewers/${interviewer.id}/links`, { kind: 'public', name: 'Newsletter readers', maxUses: 0 });
		await apiRequest(page, 'POST', `/api/interviewers/${interviewer.id}/links`, { kind: 'single', count: 1, name: 'Pilot customer' });
		const stateOf = async (url: string) =>
			((await (await page.request.get(`/api/public/links/${url.split('/').pop()}`)).json()) as { state: string }).state;
		const menu = async (linkName: string, item: string) => {
			await page.getByRole('button', { name: `More actions for ${linkName}` }).click();
			await page.getByRole('button', { name: item }).click();
		};

		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('tab', { name: 'Active (2)' }).waitFor();

		await menu('Newsletter readers', 'Rename');
		await page.getByRole('dialog', { name: 'Rename link' }).getByLabel('Link name').fill('Newsletter, spring');
		await page.getByRole('dialog', { name: 'Rename link' }).getByRole('button', { name: 'Save name' }).click();
		await page.getByRole('row', { name: /Newsletter, spring/ }).waitFor();

		await menu('Newsletter, spring', 'Edit context');
		await page.getByRole('dialog', { name: 'Edit context' }).getByLabel('Context').fill('They signed up in March.');
		await page.getByRole('dialog', { name: 'Edit context' }).getByRole('button', { name: 'Save context' }).click();
		await page
			.getByRole('row', { name: /Newsletter, spring/ })
			.getByText('Has its own context')
			.waitFor();

		await menu('Newsletter, spring', 'Disable');
		await page
			.getByRole('row', { name: /Newsletter, spring/ })
			.getByText('Disabled')
			.waitFor();
		await menu('Newsletter, spring', 'Enable');
		await page
			.getByRole('row', { name: /Newsletter, spring/ })
			.getByText('Open')
			.waitFor();

		await page.getByRole('button', { name: 'Copy link Pilot customer' }).click();
		const oldUrl = await page.evaluate(() => navigator.clipboard.readText());
		await menu('Pilot customer', 'Regenerate link');
		const regenerate = page.getByRole('dialog', { name: 'Regenerate this link?' });
		await regenerate.getByText('The old one stops working at once').waitFor();
		await regenerate.getByRole('button', { name: 'Regenerate link' }).click();
		await expect.poll(() => stateOf(oldUrl)).toBe('unknown');
		await page.getByRole('button', { name: 'Copy link Pilot customer' }).click();
		const newUrl = await page.evaluate(() => navigator.clipboard.readText());
		expect(newUrl).not.toBe(oldUrl);
		expect(await stateOf(newUrl)).toBe('open');

		await page.getByRole('button', { name: 'Copy all visible URLs' }).click();
		await expect.poll(async () => (await page.evaluate(() => navigator.clipboard.readText())).split('\n').length).toBe(2);
		const publicUrl = (await page.evaluate(() => navigator.clipboard.readText())).split('\n').find((url) => url !== newUrl)!;
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
		expect(download.suggestedFilename()).toBe('parley-links-active.csv');
		const csv = readFileSync((await download.path())!, 'utf8')
			.trim()
			.split(/\r?\n/);
		expect(csv[0]).toBe('name,url,kind,status,uses,expires');
		expect(csv).toContain(`"Newsletter, spring",${publicUrl},Anyone with the link,Open,0 / ∞,`);

		await menu('Pilot customer', 'Delete');
		await page.getByRole('dialog', { name: 'Delete this link?' }).getByRole('button', { name: 'Delete link' }).click();
		await page.getByRole('tab', { name: 'Archived (1)' }).click();
		await page
			.getByRole('row', { name: /Pilot customer/ })
			.getByText('Deleted')
			.waitFor();
		expect(await stateOf(newUrl)).not.toBe('open');

		await page.getByRole('link', { name: 'Interviewers' }).click();
		await page.getByRole('switch', { name: 'Max is live' }).click();
		await page.getByText('Every new join is refused; interviews already running may finish.').waitFor();
		await page.setViewportSize({ width: 360, height: 800 });
		await page.emulateMedia({ colorScheme: 'dark' });
		await settle(page);
		await screenshot(page, 'interviewers-360-dark');
		await page.getByRole('button', { name: 'Edit Max' }).click();
		await page.getByRole('dialog', { name: 'Edit Max' }).getByLabel('Voice').waitFor();
		await viewportShot(page, 'interviewer-dialog-360-dark');
		await page.getByRole('dialog', { name: 'Edit Max' }).getByRole('button', { name: 'Cancel' }).click();
		await page.getByRole('link', { name: 'Links', exact: true }).first().click();
		await page.getByRole('tab', { name: 'Active (1)' }).waitFor();
		expect(await stateOf(publicUrl)).toBe('offline');

		expect(problems).toEqual([]);
	});
});
