import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl, screenshot } from './browser';
import { apiRequest, newUser, settle, signUpWithApi } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';
import { joinedSocketUrl } from './helpers/join';

/** Runs one short interview over the WebSocket, as a respondent's browser would: one typed answer, then leave. */
async function runInterview(url: string, email: string): Promise<void> {
	const socket = new WebSocket(await joinedSocketUrl(url, { email }));
	await new Promise<void>((resolve, reject) => {
		socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true })));
		socket.addEventListener('message', (event) => {
			const message = JSON.parse(String(event.data)) as { type: string; role?: string };
			if (message.type === 'welcome') socket.send(JSON.stringify({ type: 'text', content: 'I check out on my phone, mostly.' }));
			// An interview nobody answered ends as empty and would not count as completed.
			if (message.type === 'turn' && message.role === 'respondent') socket.send(JSON.stringify({ type: 'leave' }));
			if (message.type === 'ended') resolve();
			if (message.type === 'error') reject(new Error(String(event.data)));
		});
	});
	socket.close();
}

describe('metrics', () => {
	test('shows started and completed interviews and the private links by name', async ({ tab: { page, problems } }) => {
		await page.goto('/sign-in');
		await signUpWithApi(page, newUser());
		const projectId = await createReadyProject(page, 'Metrics study');
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Checkout interviewer',
			durationMinutes: 5
		});
		const groups = await apiRequest<{ links: { url: string }[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
			kind: 'private',
			names: ['Student Group A'],
			maxUses: 3
		});
		await runInterview(groups.links[0]!.url, `a-${crypto.randomUUID().slice(0, 6)}@example.com`);
		await runInterview(groups.links[0]!.url, `b-${crypto.randomUUID().slice(0, 6)}@example.com`);

		await page.goto(`${baseUrl()}/projects/${projectId}/metrics`);
		const started = page.locator('.stat', { hasText: 'Interviews started' });
		await expect(started.locator('.value').innerText()).resolves.toBe('2');
		await expect(page.locator('.stat', { hasText: 'Completion rate' }).locator('.value').innerText()).resolves.toBe('100%');
		await page.getByText('Student Group A').first().waitFor();
		await settle(page);
		await screenshot(page, 'metrics-1280-light');
		expect(problems).toEqual([]);
	});
});
