import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { openPage } from './browser';
import { test } from './fixtures';
import { SCREENER } from '../fixtures/screeners';
import { axeViolations } from './helpers/axe';
import { api, createLink, createResearcher, turns, type Researcher } from './helpers/respondent';

const PHONE = { width: 360, height: 780 };
type LinkView = { uses: number; screenedOut: number; status: string };

async function screenedLink(researcher: Researcher, input: Record<string, unknown> = {}) {
	return createLink(researcher, { kind: 'public', maxUses: 3, screenerEnabled: true, ...input });
}

/** Email, the screener's answers, consent and text mode, then Start. */
async function answerAndStart(page: Page, platform: string, age: string) {
	await page.getByLabel('Your email').fill(`screened-${crypto.randomUUID().slice(0, 6)}@example.com`);
	await page.getByRole('radio', { name: platform }).check();
	await page.getByLabel('How old are you?').fill(age);
	await page.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
	await page.getByRole('button', { name: 'Continue in text mode' }).click();
	await page.getByRole('button', { name: 'Start interview' }).click();
}

describe('the screener on the respondent page', () => {
	let researcher: Researcher;

	beforeAll(async () => {
		researcher = await createResearcher();
		const saved = await api(`/api/projects/${researcher.projectId}/screener`, { method: 'PUT', json: SCREENER, cookie: researcher.cookie });
		expect(saved.status).toBe(200);
	});

	test('a disqualified respondent reaches a polite end page, and the link is not used up', async ({ browser }) => {
		const link = await screenedLink(researcher);
		const { context, page, problems } = await openPage(browser, { viewport: PHONE });
		await page.goto(link.url);
		await page.getByRole('heading', { name: 'A few questions first' }).waitFor();
		// Nothing on the page says which answers qualify.
		expect(await page.content()).not.toMatch(/qualif/i);

		await page.getByRole('button', { name: 'Start interview' }).click();
		expect(await page.getByText('Please answer this question.').count()).toBe(2);
		expect(await axeViolations(page, 'screener with errors, light')).toEqual([]);
		await page.emulateMedia({ colorScheme: 'dark' });
		expect(await axeViolations(page, 'screener with errors, dark')).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

		await answerAndStart(page, 'No smartphone', '30');
		await page.getByRole('heading', { level: 1, name: 'Thank you for your time' }).waitFor();
		await page.getByText('This study is looking for people in a different situation').waitFor();
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Thank you for your time');
		expect(await axeViolations(page, 'screened-out end page, dark')).toEqual([]);

		const after = await api<LinkView>(`/api/links/${link.id}`, { cookie: researcher.cookie });
		expect(after.body).toMatchObject({ uses: 0, screenedOut: 1 });
		expect(problems).toEqual([]);
		await context.close();
	});

	test('a qualified respondent answers by keyboard and reaches the interview', async ({ browser }) => {
		const link = await screenedLink(researcher);
		const { context, page, problems } = await openPage(browser, { viewport: PHONE });
		await page.goto(link.url);
		await page.getByLabel('Your email').fill(`keyboard-${crypto.randomUUID().slice(0, 6)}@example.com`);
		// The options are a radio group: Tab reaches it, the arrow keys choose.
		await page.getByLabel('Your email').press('Tab');
		await page.keyboard.press('Space');
		await page.keyboard.press('ArrowDown');
		expect(await page.getByRole('radio', { name: 'Android' }).isChecked()).toBe(true);
		await page.keyboard.press('Tab');
		await page.keyboard.type('27');
		expect(await page.getByLabel('How old are you?').inputValue()).toBe('27');
		await page.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
		await page.getByRole('button', { name: 'Continue in text mode' }).click();
		await page.getByRole('button', { name: 'Start interview' }).click();
		await turns(page, 'interviewer').first().waitFor();

		const after = await api<LinkView>(`/api/links/${link.id}`, { cookie: researcher.cookie });
		expect(after.body).toMatchObject({ uses: 1, screenedOut: 0 });
		expect(problems).toEqual([]);
		await context.close();
	});

	test('a full quota thanks the next respondent with that answer on its own end page', async ({ browser }) => {
		const link = await screenedLink(researcher);
		const quota = { linkId: link.id, questionId: 'platform', optionId: 'ios', min: null, max: null, cap: 1 };
		const saved = await api(`/api/projects/${researcher.projectId}/quotas`, {
			method: 'PUT',
			json: { quotas: [quota] },
			cookie: researcher.cookie
		});
		expect(saved.status).toBe(200);
		const first = await openPage(browser, { viewport: PHONE });
		await first.page.goto(link.url);
		await answerAndStart(first.page, 'iPhone', '30');
		await turns(first.page, 'interviewer').first().waitFor();

		const second = await openPage(browser);
		await second.page.goto(link.url);
		await answerAndStart(second.page, 'iPhone', '41');
		await second.page.getByRole('heading', { level: 1, name: 'Thank you for your time' }).waitFor();
		await second.page.getByText('This study already has enough respondents with answers like yours').waitFor();
		expect(await axeViolations(second.page, 'quota-full end page, desktop')).toEqual([]);
		const after = await api<LinkView>(`/api/links/${link.id}`, { cookie: researcher.cookie });
		expect(after.body).toMatchObject({ uses: 1 });
		expect([...first.problems, ...second.problems]).toEqual([]);
		await first.context.close();
		await second.context.close();
	});

	test('a link in Russian asks the questions in Russian', async ({ browser }) => {
		const link = await screenedLink(researcher, { language: 'ru' });
		const { context, page } = await openPage(browser, { viewport: PHONE });
		await page.goto(link.url);
		await page.getByRole('heading', { name: 'Сначала несколько вопросов' }).waitFor();
		await page.getByText('Каким телефоном вы пользуетесь?').waitFor();
		await page.getByRole('radio', { name: 'Нет смартфона' }).waitFor();
		expect(await axeViolations(page, 'screener in Russian')).toEqual([]);
		await context.close();
	});
});
