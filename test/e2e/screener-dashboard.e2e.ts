import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { apiRequest } from './helpers/accounts';
import { axeViolations } from './helpers/axe';
import { createReadyProject } from './helpers/projects';

type CreatedLink = { id: string; name: string; url: string; token: string };

async function setUp(page: Page) {
	const projectId = await createReadyProject(page, 'Phone habits study');
	const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
		name: 'Max',
		durationMinutes: 5
	});
	const { links } = await apiRequest<{ links: CreatedLink[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
		kind: 'public',
		name: 'Newsletter readers',
		maxUses: 5
	});
	return { projectId, link: links[0]! };
}

describe('the screener in the dashboard', () => {
	test('a researcher writes a screener in English and Russian, caps an answer on a link, turns the screener on, and sees the quota fill on the links list', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, link } = await setUp(page);
		await page.goto(`/projects/${projectId}/context`);
		await page.getByRole('heading', { name: 'Screener' }).waitFor();
		await page.getByText('No screener questions yet.').waitFor();

		await page.getByRole('button', { name: 'Single choice' }).click();
		const question = page.getByRole('group', { name: 'Question 1 · Single choice' });
		await question.getByLabel('Question (English)').fill('Which phone do you use?');
		await question.getByLabel('Question (Russian)').fill('Каким телефоном вы пользуетесь?');
		await question.getByLabel('Option 1 (English)').fill('iPhone');
		await question.getByLabel('Option 2 (English)').fill('No smartphone');
		await question.getByLabel('Option 2 (Russian)').fill('Нет смартфона');
		expect(await question.getByRole('checkbox', { name: 'Qualifies' }).nth(1).isChecked()).toBe(false);
		expect(await axeViolations(page, 'screener editor', 'main')).toEqual([]);
		await page.setViewportSize({ width: 360, height: 800 });
		await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
		await page.getByRole('button', { name: 'Save screener' }).click();
		await page.getByText('Screener saved.', { exact: false }).first().waitFor();

		await page.getByRole('button', { name: 'Add a quota' }).click();
		await page.getByLabel('Quota 1: link').selectOption({ label: 'Newsletter readers' });
		await page.getByLabel('Quota 1: answer').selectOption({ label: 'Which phone do you use?: iPhone' });
		await page.getByLabel('At most').fill('3');
		await page.getByRole('button', { name: 'Save quotas' }).click();
		await page.getByText('0 / 3').waitFor();
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.emulateMedia({ colorScheme: 'dark' });
		expect(await axeViolations(page, 'quotas editor, dark', 'main')).toEqual([]);

		const saved = await page.request.get(`/api/projects/${projectId}/screener`);
		expect(((await saved.json()) as { questions: { text: { ru: string } }[] }).questions[0]!.text.ru).toBe(
			'Каким телефоном вы пользуетесь?'
		);

		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('button', { name: 'More actions for Newsletter readers' }).click();
		await page.getByRole('button', { name: 'Change settings', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: 'Change settings' });
		await dialog.getByLabel("Ask the project's screener before consent").check();
		await dialog.getByRole('button', { name: 'Save settings' }).click();
		await dialog.waitFor({ state: 'hidden' });
		await page.getByText('Screener on').waitFor();
		await page.getByText('0 / 3 iPhone').waitFor();

		const view = await page.request.get(`/api/links/${link.id}`);
		expect(await view.json()).toMatchObject({ screenerEnabled: true });

		await page.goto(`/projects/${projectId}/metrics`);
		const card = page.getByRole('region', { name: 'Screener and quotas' });
		await card.getByText('0 respondents were screened out', { exact: false }).waitFor();
		await card.getByRole('cell', { name: 'iPhone' }).waitFor();
		await card.getByText('0 / 3').waitFor();
		expect(problems).toEqual([]);
	});

	test('a link can be created with the screener on', async ({ signedIn: { page, problems } }) => {
		const { projectId } = await setUp(page);
		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('button', { name: 'Create links' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Create links' });
		await dialog.getByLabel("Ask the project's screener before consent").check();
		await dialog
			.getByRole('button', { name: /^Create/ })
			.last()
			.click();
		await page.getByRole('dialog', { name: 'Links created' }).getByRole('button', { name: 'Done' }).click();
		await page.getByText('Screener on').first().waitFor();
		const listed = await page.request.get(`/api/projects/${projectId}/links`);
		const ids = ((await listed.json()) as { links: { id: string; kind: string }[] }).links.filter((link) => link.kind === 'single');
		const created = await page.request.get(`/api/links/${ids[0]!.id}`);
		expect(await created.json()).toMatchObject({ kind: 'single', screenerEnabled: true });
		expect(problems).toEqual([]);
	});
});
