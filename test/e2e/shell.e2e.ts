import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './browser';

describe('app shell', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('renders the dashboard shell under the strict CSP', async () => {
		const { context, page, problems } = await openPage(browser);
		const response = await page.goto('/');
		expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
		await page.getByRole('link', { name: 'Parley' }).first().waitFor();
		await screenshot(page, 'dashboard');
		expect(problems).toEqual([]);
		await context.close();
	});
});
