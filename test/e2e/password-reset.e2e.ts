import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { openPage, screenshot } from './browser';
import { newUser, settle, signUpWithApi } from './helpers/accounts';
import { linkFromOutbox } from './helpers/outbox';

describe('password reset', () => {
	test('sends a reset link, sets a new password, and signs in with it', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 780 } });
		await page.emulateMedia({ colorScheme: 'dark' });
		const user = newUser('Riley Reset');
		await signUpWithApi(page, user);
		await context.clearCookies();

		await page.goto('/forgot-password');
		await page.getByLabel('Email').fill(user.email);
		await page.getByRole('button', { name: 'Send reset link' }).click();
		await page.getByText('If an account exists for').waitFor();

		const link = await linkFromOutbox(page, user.email, /Reset your Parley password/);
		await page.goto(link);
		await page.waitForURL(/\/reset-password\?token=/);
		const newPassword = 'a brand new passphrase 42';
		await page.getByLabel('New password', { exact: true }).fill(newPassword);
		await page.getByLabel('Repeat the new password').fill(newPassword);
		await settle(page);
		await screenshot(page, 'reset-password-360-dark');
		await page.getByRole('button', { name: 'Change password' }).click();
		await page.getByText('Your password is changed.').waitFor();

		await page.getByRole('link', { name: 'Sign in' }).click();
		await page.getByLabel('Email').fill(user.email);
		await page.getByLabel('Password', { exact: true }).fill(newPassword);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL('**/projects');
		expect(problems).toEqual([]);
		await context.close();
	});

	test('answers the same way for an email without an account', async ({ tab: { page, problems } }) => {
		await page.goto('/forgot-password');
		await page.getByLabel('Email').fill(`${crypto.randomUUID()}@example.com`);
		await page.getByRole('button', { name: 'Send reset link' }).click();
		await page.getByText('If an account exists for').waitFor();
		await settle(page);
		await screenshot(page, 'forgot-password-1280-light');
		expect(problems).toEqual([]);
	});
});
