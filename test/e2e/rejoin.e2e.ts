import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { test } from './fixtures';
import { openPage, screenshot } from './browser';
import { api, completeOnboarding, createLink, createResearcher, turns, type Researcher } from './helpers/respondent';

const MOBILE = { width: 390, height: 844 };
const ANSWER = 'I mostly use it on the train in the morning.';

/** The newest rejoin code mailed to `email` (the dev outbox), waiting for it to arrive. */
async function mailedCode(email: string): Promise<string> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const outbox = await api<{ messages: { subject: string; text: string }[] }>(`/api/dev/outbox?to=${encodeURIComponent(email)}`);
		const mail = outbox.body.messages.find((message) => message.subject.startsWith('Your interview code'));
		const code = mail && /Your code: (\d{6})/.exec(mail.text)?.[1];
		if (code) return code;
		await new Promise((resume) => setTimeout(resume, 200));
	}
	throw new Error(`no code mailed to ${email}`);
}

async function startInterview(page: Page, url: string, email: string) {
	await page.goto(url);
	await completeOnboarding(page, email, 'text');
	await page.getByRole('button', { name: 'Start interview' }).click();
}

describe('rejoining a public-link interview from a second device', () => {
	let researcher: Researcher;

	beforeAll(async () => {
		researcher = await createResearcher();
	});

	test('asks the second device for the mailed code, shows nothing before it, then hands the interview over', async ({ browser }) => {
		const link = await createLink(researcher, { kind: 'public', maxUses: 5 });
		const email = `phone-${crypto.randomUUID().slice(0, 8)}@example.com`;
		const laptop = await openPage(browser);
		await startInterview(laptop.page, link.url, email);
		await turns(laptop.page, 'interviewer').first().waitFor();
		await laptop.page.getByLabel('Type your answer').fill(ANSWER);
		await laptop.page.getByRole('button', { name: 'Send' }).click();
		await turns(laptop.page, 'respondent').filter({ hasText: ANSWER }).waitFor();

		const phone = await openPage(browser, { viewport: MOBILE });
		await startInterview(phone.page, link.url, email);
		await phone.page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
		await phone.page.getByText(`enter the 6-digit code we just sent to ${email}`).waitFor();
		expect(await phone.page.locator('li.turn').count()).toBe(0);
		await screenshot(phone.page, 'interview-rejoin-code-mobile');

		const code = await mailedCode(email);
		const wrong = code === '123456' ? '654321' : '123456';
		await phone.page.getByLabel('Code from the email').fill(wrong);
		await phone.page.getByRole('button', { name: 'Continue' }).click();
		await phone.page.getByText('That code is not right.').waitFor();
		expect(await phone.page.locator('li.turn').count()).toBe(0);
		await expect(laptop.page.getByRole('status').filter({ hasText: 'Connected' }).isVisible()).resolves.toBe(true);

		await phone.page.getByLabel('Code from the email').fill(code);
		await phone.page.getByRole('button', { name: 'Continue' }).click();
		await turns(phone.page, 'respondent').filter({ hasText: ANSWER }).waitFor();
		await phone.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await laptop.page.getByRole('heading', { name: 'Continued in another tab' }).waitFor();

		// The phone now holds the interview's resume token: a reload there needs no code.
		await phone.page.reload();
		await phone.page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await turns(phone.page, 'respondent').filter({ hasText: ANSWER }).waitFor();

		expect(laptop.problems).toEqual([]);
		expect(phone.problems).toEqual([]);
		await laptop.context.close();
		await phone.context.close();
	});

	test('explains the step in Russian for a Russian link', async ({ browser }) => {
		const link = await createLink(researcher, { kind: 'public', maxUses: 5, language: 'ru' });
		const email = `ru-${crypto.randomUUID().slice(0, 8)}@example.com`;
		const first = await openPage(browser);
		await first.page.goto(link.url);
		await first.page.getByLabel('Ваш email').fill(email);
		await first.page.getByLabel('Я согласен(на) на запись разговора и его расшифровку с помощью ИИ.').check();
		await first.page.getByRole('button', { name: 'Продолжить в текстовом режиме' }).click();
		await first.page.getByRole('button', { name: 'Начать интервью' }).click();
		await turns(first.page, 'interviewer').first().waitFor();

		const second = await openPage(browser, { viewport: MOBILE });
		await second.page.goto(link.url);
		await second.page.getByLabel('Ваш email').fill(email);
		await second.page.getByLabel('Я согласен(на) на запись разговора и его расшифровку с помощью ИИ.').check();
		await second.page.getByRole('button', { name: 'Продолжить в текстовом режиме' }).click();
		await second.page.getByRole('button', { name: 'Начать интервью' }).click();
		await second.page.getByRole('heading', { level: 1, name: 'Проверьте почту' }).waitFor();
		await second.page.getByLabel('Код из письма').waitFor();
		expect(second.problems).toEqual([]);
		await first.context.close();
		await second.context.close();
	});
});
