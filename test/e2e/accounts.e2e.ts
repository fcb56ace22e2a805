import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { screenshot } from './browser';
import { newUser, settle, signUpThroughForm } from './helpers/accounts';

const PASTED_GUIDE = `Part 1: Warm-up
1. Tell me about your role.
   - How long have you been doing it?
2. What does a typical week look like?

Part 2: Research today
3. How do you run interviews today?
   - Which tools do you use?
   - What takes the most time?
4. What happens after an interview ends?

Part 3: Wrap-up
5. If you could change one thing, what would it be?`;

describe('accounts and project context', () => {
	test('signs up, fills the context from a pasted guide, unlocks links, and keeps the project across sign-in', async ({
		tab: { page, problems }
	}) => {
		const user = newUser();
		await signUpThroughForm(page, user);
		await page.getByRole('heading', { name: 'No projects yet' }).waitFor();

		await page.getByRole('button', { name: 'Create a project' }).click();
		const createDialog = page.getByRole('dialog', { name: 'New project' });
		await createDialog.getByLabel('Project name').fill('Onboarding study');
		await createDialog.getByRole('button', { name: 'Create project' }).click();
		await page.waitForURL(/\/projects\/[^/]+\/context$/);
		await page.getByRole('heading', { level: 1, name: 'Onboarding study' }).waitFor();

		const lockedButton = page.getByRole('button', { name: 'Create links' });
		expect(await lockedButton.getAttribute('aria-disabled')).toBe('true');
		const explanation = page.getByText('Fill in the Research Goals and the Interview Guide to create links.');
		await explanation.waitFor();
		expect(
			await lockedButton.evaluate(
				(button) =>
					button.getAttribute('aria-describedby') === button.nextElementSibling?.id ||
					!!document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent?.includes('Fill in')
			)
		).toBe(true);

		await page
			.getByRole('textbox', { name: 'Research Goals' })
			.fill('Learn how small teams run user interviews today and where the time goes.');
		await page.getByText('Unsaved changes').waitFor();

		const pasteTrigger = page.getByRole('button', { name: 'Paste a guide' }).first();
		const pasteDialog = page.getByRole('dialog', { name: 'Paste a guide' });
		const isFocused = (locator: typeof pasteTrigger) => locator.evaluate((element) => element === document.activeElement);
		await pasteTrigger.focus();
		await page.keyboard.press('Enter');
		await pasteDialog.waitFor();
		expect(await isFocused(pasteDialog.getByLabel('Guide text'))).toBe(true);
		for (let presses = 0; presses < 6; presses++) await page.keyboard.press('Tab');
		expect(await pasteDialog.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
		await page.keyboard.press('Escape');
		await pasteDialog.waitFor({ state: 'hidden' });
		expect(await isFocused(pasteTrigger)).toBe(true);

		await page.keyboard.press('Enter');
		await pasteDialog.getByLabel('Guide text').fill(PASTED_GUIDE);
		await pasteDialog.getByText('3 sections · 5 questions · 3 probes').waitFor();
		await pasteDialog.getByRole('heading', { name: 'Research today' }).waitFor();
		await pasteDialog.getByText('What takes the most time?').waitFor();
		await settle(page);
		await screenshot(page, 'paste-guide-dialog');
		await pasteDialog.getByRole('button', { name: 'Use this guide' }).click();
		await pasteDialog.waitFor({ state: 'detached' });

		expect(await page.getByRole('textbox', { name: 'Section 1 title' }).inputValue()).toBe('Warm-up');
		expect(await page.getByRole('textbox', { name: 'Section 3 title' }).inputValue()).toBe('Wrap-up');
		expect(await page.getByRole('textbox', { name: 'Question 1', exact: true }).inputValue()).toBe('Tell me about your role.');
		expect(await page.getByRole('textbox', { name: 'Probe 1 for question 1', exact: true }).inputValue()).toBe(
			'How long have you been doing it?'
		);
		expect(await page.getByRole('textbox', { name: 'Probe 2 for question 3', exact: true }).inputValue()).toBe('What takes the most time?');
		expect(await page.getByRole('textbox', { name: 'Question 5', exact: true }).inputValue()).toBe(
			'If you could change one thing, what would it be?'
		);

		const firstQuestion = page.getByRole('textbox', { name: 'Question 1', exact: true });
		const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
		await page.getByRole('button', { name: 'Move question 1 down' }).focus();
		await page.keyboard.press('Enter');
		expect(await firstQuestion.inputValue()).toBe('What does a typical week look like?');
		expect(await focusedLabel()).toBe('Move question 2 up');
		await page.keyboard.press('Enter');
		expect(await firstQuestion.inputValue()).toBe('Tell me about your role.');
		expect(await focusedLabel()).toBe('Move question 1 down');

		await page.getByRole('tab', { name: 'Markdown preview' }).click();
		expect(await page.getByLabel('Interview Guide as Markdown').textContent()).toContain(
			'## Research today\n\n3. How do you run interviews today?\n   - Which tools do you use?'
		);
		await page.getByRole('tab', { name: 'Editor' }).click();

		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await page.getByText('All changes saved').waitFor();
		const createLinks = page.getByRole('button', { name: 'Create links' });
		await createLinks.waitFor();
		expect(await createLinks.isEnabled()).toBe(true);
		expect(await explanation.count()).toBe(0);
		await settle(page);
		await screenshot(page, 'project-context');

		await page.getByRole('button', { name: `Account: ${user.name}` }).click();
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL('**/sign-in');

		await page.goto('/projects');
		await page.waitForURL('**/sign-in?next=%2Fprojects');
		await settle(page);
		await screenshot(page, 'sign-in');
		await page.getByLabel('Email').fill(user.email);
		await page.getByLabel('Password').fill(user.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL('**/projects');
		const row = page.getByRole('row').filter({ hasText: 'Onboarding study' });
		await row.waitFor();
		await row.getByText('Context complete').waitFor();
		await row.getByText('5 questions').waitFor();
		await settle(page);
		await screenshot(page, 'projects-list');

		expect(problems).toEqual([]);
	});
});
