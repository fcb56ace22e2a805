import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { openPage } from './browser';
import { test } from './fixtures';
import { apiRequest } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';
import { completeOnboarding, createLink, createResearcher, turns, type Researcher } from './helpers/respondent';

const PHONE = { width: 360, height: 780 };
const ANSWER = 'I shop on my phone in the evening, mostly for groceries.';

async function startInterview(
	page: Page,
	url: string,
	input: 'voice' | 'text',
	email = `${input}-${crypto.randomUUID().slice(0, 6)}@example.com`
) {
	await page.goto(url);
	await completeOnboarding(page, email, input);
	await page.getByRole('button', { name: 'Start interview' }).click();
	await turns(page, 'interviewer').first().waitFor();
}

/**
 * Reloads as a person does: the reloaded page has no user activation yet, so the browser keeps
 * sound off until the next tap. (A reload driven over the DevTools protocol keeps the activation,
 * so the page is told what a person's reload gives it.)
 */
async function reloadLikeAPerson(page: Page) {
	await page.addInitScript(() => Object.defineProperty(navigator, 'userActivation', { value: { hasBeenActive: false, isActive: false } }));
	await page.reload();
}

async function answerByText(page: Page, text: string) {
	await page.getByRole('textbox', { name: 'Type your answer' }).fill(text);
	await page.getByRole('button', { name: 'Send' }).click();
	await turns(page, 'respondent').filter({ hasText: text }).waitFor();
}

describe('the respondent page for screen-reader and keyboard users', () => {
	let researcher: Researcher;

	beforeAll(async () => {
		researcher = await createResearcher();
	});

	test('the interview is done by text inside a main landmark; the transcript is a polite live region; the countdown speaks once, at the wrap-up', async ({
		browser
	}) => {
		const link = await createLink(researcher, { kind: 'single', count: 1, durationMinutes: 1 });
		const { context, page, problems } = await openPage(browser, { viewport: PHONE });
		await page.goto(link.url);
		await page.getByRole('main').getByLabel('Your email').waitFor();
		expect(await page.getByRole('main').count()).toBe(1);
		await startInterview(page, link.url, 'text');

		const log = page.getByRole('log');
		expect(await log.getAttribute('aria-live')).toBe('polite');
		expect(await page.getByRole('main').locator('[role="log"]').count()).toBe(1);
		const announcer = page.getByRole('timer').locator('xpath=following-sibling::*[@aria-live="polite"]');
		expect(await announcer.getAttribute('aria-live')).toBe('polite');
		expect(await announcer.textContent()).toBe('');
		// Every text the live region ever holds, in order: what a screen reader would be given to say.
		await announcer.evaluate((element) => {
			const said: string[] = [];
			(window as unknown as { countdownSaid: string[] }).countdownSaid = said;
			new MutationObserver(() => {
				const text = element.textContent ?? '';
				if (said.at(-1) !== text) said.push(text);
			}).observe(element, { childList: true, characterData: true, subtree: true });
		});

		await answerByText(page, ANSWER);
		expect(await log.textContent()).toContain(ANSWER);
		await page.waitForFunction(() => Number(document.querySelector('[role="timer"]')?.getAttribute('data-remaining-ms')) <= 12_000, null, {
			timeout: 70_000
		});
		await expect.poll(() => announcer.textContent()).toBe('About 12 seconds left: the interviewer is wrapping up.');
		await page.getByRole('heading', { level: 1, name: 'Thank you!' }).waitFor({ timeout: 40_000 });
		const said = await page.evaluate(() => (window as unknown as { countdownSaid: string[] }).countdownSaid);
		expect(said.filter((text) => text !== '')).toEqual(['About 12 seconds left: the interviewer is wrapping up.']);
		expect(problems).toEqual([]);
		await context.close();
	}, 150_000);

	test('after a reload, a text-mode respondent is asked to turn on sound only; a voice respondent, sound and microphone', async ({
		browser
	}) => {
		const textLink = await createLink(researcher);
		const text = await openPage(browser, { viewport: PHONE });
		await startInterview(text.page, textLink.url, 'text');
		await reloadLikeAPerson(text.page);
		await text.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await text.page.getByRole('button', { name: 'Turn on sound', exact: true }).waitFor();
		expect(await text.page.getByRole('button', { name: 'Turn on sound and microphone' }).count()).toBe(0);
		await text.page.getByRole('button', { name: 'Turn on sound', exact: true }).click();
		await text.page.getByRole('button', { name: 'Turn on sound', exact: true }).waitFor({ state: 'detached' });
		await text.context.close();

		const voiceLink = await createLink(researcher);
		const voice = await openPage(browser, { viewport: PHONE });
		await startInterview(voice.page, voiceLink.url, 'voice');
		await reloadLikeAPerson(voice.page);
		await voice.page.getByRole('button', { name: 'Turn on sound and microphone' }).waitFor();
		await voice.context.close();
	});

	test('the anonymous-link option says a reload in the same browser resumes, and it does', async ({ browser, signedIn: { page } }) => {
		const projectId = await createReadyProject(page);
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Ava',
			durationMinutes: 10
		});
		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('button', { name: 'Create links' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Create links' });
		await dialog.getByLabel('Anyone with the link').check();
		await dialog
			.getByText(
				'No email is asked, so respondents stay anonymous. A reload or a return in the same browser resumes the interview; another browser or device starts a new one.'
			)
			.waitFor();
		expect(await dialog.getByText(/cannot rejoin/).count()).toBe(0);

		const { links } = await apiRequest<{ links: { url: string }[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
			kind: 'public',
			maxUses: 5,
			askEmail: 'off'
		});
		const respondent = await openPage(browser, { viewport: PHONE });
		await respondent.page.goto(links[0]!.url);
		await respondent.page.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
		await respondent.page.getByRole('button', { name: 'Continue in text mode' }).click();
		await respondent.page.getByRole('button', { name: 'Start interview' }).click();
		await turns(respondent.page, 'interviewer').first().waitFor();
		await answerByText(respondent.page, ANSWER);
		await respondent.page.reload();
		await respondent.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await turns(respondent.page, 'respondent').filter({ hasText: ANSWER }).waitFor();
		expect(await respondent.page.getByRole('button', { name: 'Start interview' }).count()).toBe(0);
		await respondent.context.close();
	});
});
