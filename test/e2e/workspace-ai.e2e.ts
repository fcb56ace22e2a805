import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { screenshot } from './browser';
import { newUser, settle, signUpWithApi } from './helpers/accounts';

describe('interviewer AI setting', () => {
	test('shows the provider in use and lets an owner save a choice', async ({ tab: { page, problems } }) => {
		await page.goto('/sign-in');
		await signUpWithApi(page, newUser());
		await page.goto('/settings');
		const card = page.locator('section', { hasText: 'Interviewer AI' });
		await card.getByText('In use now:').waitFor();
		await expect(card.locator('.current strong').innerText()).resolves.toContain('Local interviewer');
		await card.getByRole('radio', { name: /Local interviewer/ }).check();
		await card.getByRole('button', { name: 'Save provider' }).click();
		await page.getByText('New interviews will use this provider.').waitFor();
		const saved = await page.evaluate(async () => (await fetch('/api/workspace/ai')).json());
		expect(saved).toMatchObject({ preference: 'local', provider: 'local' });
		await settle(page);
		await screenshot(page, 'settings-ai-1280-light');
		expect(problems).toEqual([]);
	});
});
