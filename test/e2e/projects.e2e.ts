import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { apiRequest } from './helpers/accounts';

describe('project list', () => {
	test('searches, sorts, renames and deletes projects, keeping search and sort in the URL', async ({ signedIn: { page, problems } }) => {
		for (const name of ['Beta interviews', 'Alpha pricing', 'Gamma pricing']) await apiRequest(page, 'POST', '/api/projects', { name });

		const projectNames = () => page.locator('tbody td:first-child a').allTextContents();
		await page.goto('/projects');
		await page.getByRole('link', { name: 'Gamma pricing' }).waitFor();
		expect(await projectNames()).toEqual(['Gamma pricing', 'Alpha pricing', 'Beta interviews']);

		await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
		await page.waitForURL('**/projects?sort=name');
		await expect.poll(projectNames).toEqual(['Alpha pricing', 'Beta interviews', 'Gamma pricing']);

		await page.getByRole('searchbox', { name: 'Search projects' }).fill('pricing');
		await page.waitForURL(/q=pricing/);
		await expect.poll(projectNames).toEqual(['Alpha pricing', 'Gamma pricing']);
		await page.reload();
		await expect.poll(projectNames).toEqual(['Alpha pricing', 'Gamma pricing']);
		expect(await page.getByRole('searchbox', { name: 'Search projects' }).inputValue()).toBe('pricing');

		await page.getByRole('button', { name: 'Rename Alpha pricing' }).click();
		const renameDialog = page.getByRole('dialog', { name: 'Rename project' });
		await renameDialog.getByLabel('Project name').fill('Alpha pricing, round two');
		await renameDialog.getByRole('button', { name: 'Save name' }).click();
		await page.getByRole('link', { name: 'Alpha pricing, round two' }).waitFor();

		await page.getByRole('button', { name: 'Delete Gamma pricing' }).click();
		await page.getByRole('dialog', { name: 'Delete this project?' }).getByRole('button', { name: 'Delete project' }).click();
		await expect.poll(projectNames).toEqual(['Alpha pricing, round two']);

		await page.getByRole('searchbox', { name: 'Search projects' }).fill('nothing like this');
		await page.getByRole('heading', { name: 'No projects match “nothing like this”' }).waitFor();
		await page.getByRole('button', { name: 'Clear search' }).click();
		await expect.poll(projectNames).toEqual(['Alpha pricing, round two', 'Beta interviews']);

		expect(problems).toEqual([]);
	});
});
