import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { screenshot } from './browser';
import { settle } from './helpers/accounts';
import { topBarBalance } from './helpers/projects';

describe('billing', () => {
	test('a dev top-up raises the balance, lands in the ledger, and the ledger exports as CSV', async ({ signedIn: { page, problems } }) => {
		await page.goto('/projects');
		await page.getByRole('link', { name: 'Billing' }).click();
		await page.waitForURL('**/billing');
		await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
		expect(await topBarBalance(page)).toEqual({ available: 120, reserved: 0 });
		const available = page.getByRole('definition').filter({ hasText: 'tokens' }).first();
		await expect.poll(() => available.innerText()).toMatch(/^120\s+tokens$/);

		const history = page.getByRole('table', { name: 'Ledger entries, newest first' });
		await history.getByText('Free tokens for a new workspace').waitFor();

		await page.getByText('Local server without Stripe').waitFor();
		const topUp = page.getByRole('button', { name: /^Dev top-up \(local only\)/ }).first();
		const label = (await topUp.getAttribute('aria-label')) ?? '';
		await topUp.click();
		await page.getByText(/Added [\d,]+ tokens \(dev top-up, no payment\)/).waitFor();
		const added = Number(/Added ([\d,]+) tokens/.exec(await page.getByText(/Added [\d,]+ tokens/).innerText())![1]!.replace(/,/g, ''));
		expect(added).toBeGreaterThan(0);
		expect(label).toContain('Dev top-up (local only)');

		await expect.poll(() => topBarBalance(page)).toEqual({ available: 120 + added, reserved: 0 });
		await expect.poll(() => available.innerText()).toMatch(new RegExp(`^${(120 + added).toLocaleString('en')}\\s+tokens$`));
		await history.getByText(/Dev top-up, no payment/).waitFor();
		await expect.poll(() => history.locator('tbody tr').count()).toBe(2);

		await page.getByRole('combobox', { name: 'Kind' }).selectOption('grant');
		await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
		await page.getByRole('combobox', { name: 'Kind' }).selectOption('charge');
		await page.getByRole('heading', { name: 'No entries' }).waitFor();
		await page.getByRole('combobox', { name: 'Kind' }).selectOption('');
		await expect.poll(() => history.locator('tbody tr').count()).toBe(2);

		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
		expect(download.suggestedFilename()).toMatch(/^parley-ledger-\d{4}-\d{2}-\d{2}\.csv$/);
		const csv = readFileSync((await download.path())!, 'utf8')
			.trim()
			.split(/\r?\n/);
		expect(csv[0]).toBe('id,created_at,kind,available_delta,reserved_delta,reference,note,actor_id');
		expect(csv).toHaveLength(3);
		expect(csv.some((line) => line.includes(',grant,') && line.includes('Dev top-up'))).toBe(true);

		await settle(page);
		await screenshot(page, 'billing-1280-light');
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.setViewportSize({ width: 360, height: 800 });
		await settle(page);
		await screenshot(page, 'billing-360-dark');

		await page.goto('/billing?checkout=cancelled');
		await page.getByText('Checkout cancelled. Nothing was charged.').waitFor();
		await page.waitForURL(/\/billing$/);

		expect(problems).toEqual([]);
	});
});
