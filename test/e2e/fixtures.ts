import type { Browser } from 'playwright-core';
import { test as base } from 'vitest';
import { launchBrowser, openPage } from './browser';
import { newUser, signUpWithApi, type TestUser } from './helpers/accounts';

type OpenedPage = Awaited<ReturnType<typeof openPage>>;

/**
 * What every browser test starts from: one Chromium per test file (its fake microphone plays the
 * short English answer), and per test a fresh page that records console errors and CSP violations
 * (`tab`), or such a page signed in as a new researcher (`signedIn`). Pages close after the test.
 */
export const test = base
	// vitest reads a fixture's dependencies from its first parameter, which must be a destructuring pattern.
	// eslint-disable-next-line no-empty-pattern
	.extend('browser', { scope: 'file' }, async ({}, { onCleanup }): Promise<Browser> => {
		const browser = await launchBrowser();
		onCleanup(() => browser.close());
		return browser;
	})
	.extend('tab', async ({ browser }, { onCleanup }): Promise<OpenedPage> => {
		const opened = await openPage(browser);
		onCleanup(() => opened.context.close());
		return opened;
	})
	.extend('signedIn', async ({ tab }): Promise<OpenedPage & { user: TestUser }> => {
		const user = newUser();
		await signUpWithApi(tab.page, user);
		return { ...tab, user };
	});
