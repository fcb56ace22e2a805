import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { apiRequest } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';

describe('paging the links table', () => {
	test('shows the first 50 links of a tab and adds the rest with Load more', async ({ signedIn: { page, problems } }) => {
		const projectId = await createReadyProject(page);
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Ava',
			durationMinutes: 2,
			topics: ['checkout']
		});
		const created = await apiRequest<{ links: { name: string }[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
			kind: 'single',
			count: 55,
			durationMinutes: 2
		});
		expect(created.links).toHaveLength(55);

		await page.goto(`/projects/${projectId}/links`);
		const rows = page.getByRole('table', { name: 'Active links' }).locator('tbody tr');
		await page.getByRole('tab', { name: 'Active (50+)' }).waitFor();
		expect(await rows.count()).toBe(50);

		await page.getByRole('button', { name: 'Load more' }).click();
		await page.getByRole('tab', { name: 'Active (55)' }).waitFor();
		expect(await rows.count()).toBe(55);
		expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
		expect(problems).toEqual([]);
	});
});
