import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { openPage } from './browser';
import { apiRequest } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';
import { completeOnboarding, turns } from './helpers/respondent';

const QUESTIONS = ['When did you last buy something online?', 'Walk me through your last checkout.'];
const ANSWERS = [
	'Last Tuesday, a pair of running shoes, late in the evening on my phone.',
	'I picked a size, typed my card twice because the form cleared itself, then paid.'
];

async function answer(page: Page, text: string) {
	await page.getByLabel('Type your answer').fill(text);
	await page.getByRole('button', { name: 'Send' }).click();
}

describe('guide coverage from interview to report', () => {
	test('an interview that covers the guide ends itself, and the record, the metrics and the project report show what was covered', async ({
		browser,
		signedIn: { page, problems }
	}) => {
		const projectId = await createReadyProject(page);
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Checkout interviewer',
			durationMinutes: 10
		});
		const created = await apiRequest<{ links: { url: string }[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
			kind: 'single',
			count: 1
		});

		const respondent = await openPage(browser, { viewport: { width: 360, height: 780 } });
		await respondent.page.goto(created.links[0]!.url);
		await completeOnboarding(respondent.page, 'buyer@example.com', 'text');
		await respondent.page.getByRole('button', { name: 'Start interview' }).click();
		await turns(respondent.page, 'interviewer').filter({ hasText: QUESTIONS[0] }).waitFor();
		await answer(respondent.page, ANSWERS[0]!);
		await turns(respondent.page, 'interviewer').filter({ hasText: QUESTIONS[1] }).waitFor();
		await answer(respondent.page, ANSWERS[1]!);
		// Nobody leaves and no clock runs out: the interviewer closes once the guide is covered.
		await respondent.page.getByText('The interview is complete. Thank you for taking part.').waitFor();
		await respondent.context.close();

		await expect
			.poll(
				async () =>
					((await (await page.request.get(`/api/projects/${projectId}/records`)).json()) as { records: unknown[] }).records.length,
				{
					timeout: 15_000
				}
			)
			.toBe(1);
		await page.goto(`/projects/${projectId}/records`);
		await page.getByRole('link', { name: 'buyer@example.com' }).click();
		const checklist = page.getByRole('list', { name: 'Guide coverage' });
		await page.getByText('2 of 2 questions answered').waitFor();
		for (const question of QUESTIONS) await checklist.getByRole('listitem').filter({ hasText: question }).getByText('Answered').waitFor();
		await checklist.getByRole('link', { name: QUESTIONS[1] }).click();
		const turnId = new URL(page.url()).hash.slice(1);
		expect(turnId).toMatch(/^turn-/);
		await expect(page.locator(`[id="${turnId}"]`).textContent()).resolves.toContain(ANSWERS[1]);

		await page.goto(`/projects/${projectId}/metrics`);
		const table = page.getByRole('table', { name: 'Coverage of each guide question' });
		for (const question of QUESTIONS) await table.getByRole('row').filter({ hasText: question }).getByText('1 of 1 (100%)').waitFor();
		await page.getByRole('meter', { name: /Completed$/ }).waitFor();

		await page.goto(`/projects/${projectId}/reports`);
		await page.getByRole('button', { name: 'Generate project report' }).click();
		await page.getByRole('dialog', { name: 'Generate a project report' }).getByRole('button', { name: 'Generate' }).click();
		await page.getByRole('link', { name: 'Project report · 1 record' }).click();
		await page.getByRole('heading', { name: 'Guide coverage' }).waitFor({ timeout: 20_000 });
		await page.getByRole('table', { name: 'Coverage of each guide question' }).getByRole('row').filter({ hasText: QUESTIONS[0] }).waitFor();

		expect(problems).toEqual([]);
		expect(respondent.problems).toEqual([]);
	});
});
