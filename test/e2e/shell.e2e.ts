import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl, openPage, screenshot } from './browser';
import { apiRequest, newUser, settle, signInWithApi, signUpWithApi, type TestUser } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';

const VIEWPORTS = [
	{ name: '1280', width: 1280, height: 800 },
	{ name: '360', width: 360, height: 780 }
] as const;
const SCHEMES = ['light', 'dark'] as const;

const backgroundOf = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe('app shell', () => {
	let user: TestUser;
	let projectId: string;

	test.beforeAll(async ({ browser }) => {
		user = newUser('Sam Shell');
		const { context, page } = await openPage(browser);
		await signUpWithApi(page, user);
		projectId = await createReadyProject(page);
		await apiRequest(page, 'POST', '/api/projects', { name: 'Pricing page interviews' });
		await context.close();
	});

	test('serves pages with a strict CSP and security headers', async () => {
		const response = await fetch(`${baseUrl()}/`);
		expect(response.status).toBe(200);
		const csp = response.headers.get('Content-Security-Policy') ?? '';
		expect(csp).toContain("default-src 'self'");
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).not.toContain('unsafe-inline');
		expect(csp).toContain("frame-ancestors 'none'");
		expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
		expect(response.headers.get('Permissions-Policy')).toContain('microphone=(self)');
	});

	test('sends signed-out visitors to sign in under the strict CSP', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser);
		const response = await page.goto('/');
		expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
		await page.waitForURL('**/sign-in?next=%2Fprojects');
		await page.getByRole('link', { name: 'Parley' }).first().waitFor();
		await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
		expect(problems).toEqual([]);
		await context.close();
	});

	for (const viewport of VIEWPORTS) {
		for (const scheme of SCHEMES) {
			test(`renders the signed-in dashboard at ${viewport.name} px in ${scheme} mode`, async ({ browser }) => {
				const { context, page, problems } = await openPage(browser, { viewport });
				await page.emulateMedia({ colorScheme: scheme });
				await signInWithApi(page, user);

				await page.goto('/projects');
				await page.getByRole('link', { name: 'Checkout usability study' }).waitFor();
				expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('system');
				const background = await backgroundOf(page);
				expect(background).toBe(scheme === 'dark' ? 'rgb(14, 15, 19)' : 'rgb(247, 247, 249)');
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				expect(overflow).toBe(0);
				await settle(page);
				await screenshot(page, `dashboard-${viewport.name}-${scheme}`);

				await page.goto(`/projects/${projectId}/context`);
				await page.getByRole('textbox', { name: 'Question 2', exact: true }).waitFor();
				await settle(page);
				await screenshot(page, `project-context-${viewport.name}-${scheme}`);

				await page.goto('/settings?tab=members');
				await page.getByText(user.email).waitFor();
				await settle(page);
				await screenshot(page, `settings-members-${viewport.name}-${scheme}`);

				expect(problems).toEqual([]);
				await context.close();
			});
		}
	}

	test('remembers the theme picked in the toggle', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser);
		await page.emulateMedia({ colorScheme: 'light' });
		await signInWithApi(page, user);
		await page.goto('/projects');
		await page.getByRole('button', { name: 'Theme: System' }).click();
		await page.getByRole('button', { name: 'Dark' }).click();
		expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
		expect(await backgroundOf(page)).toBe('rgb(14, 15, 19)');
		await page.reload();
		await page.getByRole('button', { name: 'Theme: Dark' }).waitFor();
		expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
		expect(await backgroundOf(page)).toBe('rgb(14, 15, 19)');
		expect(problems).toEqual([]);
		await context.close();
	});

	test('shows a visible focus ring when the keyboard reaches the primary navigation', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser);
		await signInWithApi(page, user);
		await page.goto('/projects');
		await page.getByRole('link', { name: 'Checkout usability study' }).waitFor();

		await page.keyboard.press('Tab');
		const skipLink = page.getByRole('link', { name: 'Skip to content' });
		expect(await skipLink.evaluate((link) => link === document.activeElement)).toBe(true);
		expect((await skipLink.boundingBox())?.width ?? 0).toBeGreaterThan(40);

		const projectsLink = page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Projects' });
		const resting = await projectsLink.evaluate((link) => getComputedStyle(link).outlineStyle);
		for (let presses = 0; presses < 12; presses++) {
			if (await projectsLink.evaluate((link) => link === document.activeElement)) break;
			await page.keyboard.press('Tab');
		}
		expect(await projectsLink.evaluate((link) => link === document.activeElement)).toBe(true);
		const focused = await projectsLink.evaluate((link) => {
			const style = getComputedStyle(link);
			return {
				style: style.outlineStyle,
				width: parseFloat(style.outlineWidth),
				color: style.outlineColor,
				focusVisible: link.matches(':focus-visible')
			};
		});
		expect(resting).toBe('none');
		expect(focused.focusVisible).toBe(true);
		expect(focused.style).toBe('solid');
		expect(focused.width).toBeGreaterThanOrEqual(2);
		await screenshot(page, 'focus-primary-nav');
		expect(problems).toEqual([]);
		await context.close();
	});
});
