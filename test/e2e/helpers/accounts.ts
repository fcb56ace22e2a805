import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl } from '../browser';

export const PASSWORD = 'correct horse battery staple';

export type TestUser = { name: string; email: string; password: string };

export function newUser(name = 'Robin Researcher'): TestUser {
	return { name, email: `${crypto.randomUUID()}@example.com`, password: PASSWORD };
}

/** A JSON request to the real API from the page's context, so it shares the browser's session cookie. */
export async function apiRequest<T>(page: Page, method: 'POST' | 'PATCH' | 'DELETE', path: string, data: unknown = {}): Promise<T> {
	const response = await page.request.fetch(path, { method, data, headers: { Origin: baseUrl() } });
	expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
	return (response.status() === 204 ? undefined : await response.json()) as T;
}

/** Signs up through the form and waits for the project list. */
export async function signUpThroughForm(page: Page, user: TestUser): Promise<void> {
	await page.goto('/sign-up');
	await page.getByLabel('Name').fill(user.name);
	await page.getByLabel('Work email').fill(user.email);
	await page.getByLabel('Password').fill(user.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await page.waitForURL('**/projects');
	await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
}

export const signUpWithApi = (page: Page, user: TestUser) => apiRequest(page, 'POST', '/api/auth/sign-up/email', user);

export const signInWithApi = (page: Page, user: TestUser) =>
	apiRequest(page, 'POST', '/api/auth/sign-in/email', { email: user.email, password: user.password });

/** Lets entry animations finish and puts the page at the top before a full-page screenshot. */
export async function settle(page: Page): Promise<void> {
	await page.evaluate(() => window.scrollTo(0, 0));
	await animationsDone(page);
}

/** Resolves when every running CSS animation and transition on the page has finished. */
export async function animationsDone(page: Page): Promise<void> {
	await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
}
