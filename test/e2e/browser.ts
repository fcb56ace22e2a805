import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-results/screenshots');
export const FIXTURES_DIR = join(ROOT, 'test/fixtures/speech');

export type SpeechFixture = 'greeting-en' | 'answer-short-en' | 'answer-long-en' | 'answer-ru' | 'silence-3s';

export function fixturePath(name: SpeechFixture): string {
	const file = join(FIXTURES_DIR, `${name}.wav`);
	if (!existsSync(file)) throw new Error(`Speech fixture missing: ${file}`);
	return file;
}

/** Headless Debian Chromium with a fake microphone that plays a speech fixture in a loop. */
export async function launchBrowser(microphone: SpeechFixture = 'answer-short-en'): Promise<Browser> {
	return chromium.launch({
		executablePath: inject('chromiumPath'),
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--use-fake-ui-for-media-stream',
			'--use-fake-device-for-media-stream',
			`--use-file-for-fake-audio-capture=${fixturePath(microphone)}`,
			'--autoplay-policy=no-user-gesture-required',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run'
		]
	});
}

export const baseUrl = () => inject('baseUrl');

/** A fresh context whose page records console errors and CSP violations for assertions. */
export async function openPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}) {
	const context: BrowserContext = await browser.newContext({
		baseURL: baseUrl(),
		viewport: options.viewport ?? { width: 1280, height: 800 }
	});
	await context.grantPermissions(['microphone', 'clipboard-read', 'clipboard-write'], { origin: baseUrl() });
	const page: Page = await context.newPage();
	const problems: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(message.text());
	});
	page.on('pageerror', (error) => problems.push(error.message));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
		});
	});
	return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}
