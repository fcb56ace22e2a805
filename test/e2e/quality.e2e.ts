import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl } from './browser';
import { apiRequest } from './helpers/accounts';
import { installPageInterview, interviewSocketUrl } from './helpers/page-socket';
import { axeViolations } from './helpers/axe';
import { onboardingGuide, studyWithLinks } from './helpers/projects';

const FULL = [
	'Interviewer: What is your role?',
	'Respondent: I lead the design team for our onboarding flow and have done so for three years.',
	'Interviewer: Which tools do you use every day?',
	'Respondent: Every day I use Figma for design work, Slack for messages and Linear for the roadmap.'
].join('\n');

const NON_ANSWERS = [
	'Interviewer: What is your role?',
	'Respondent: I don’t know.',
	'Interviewer: Which tools do you use every day?',
	'Respondent: No idea.'
].join('\n');

async function uploadTranscript(page: Page, projectId: string, title: string, text: string): Promise<string> {
	const response = await page.request.post(`/api/projects/${projectId}/records`, {
		headers: { Origin: baseUrl() },
		multipart: { file: { name: 'call.txt', mimeType: 'text/plain', buffer: Buffer.from(text) }, title }
	});
	expect(response.status()).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

/** One interview over the real WebSocket from the browser: hello, each answer after the interviewer speaks, then leave. */
async function typedInterview(page: Page, token: string, email: string, answers: string[]): Promise<void> {
	await installPageInterview(page);
	await page.evaluate(
		async ({ url, email, answers }) => {
			const { socket, messages, waitFor, turns } = await window.parleyInterview!(url, email);
			const asked = () => turns('interviewer');
			for (const answer of answers) {
				const before = asked();
				await waitFor(() => asked() > 0 && (before === 0 || asked() >= before));
				socket.send(JSON.stringify({ type: 'text', content: answer }));
				await waitFor(() => asked() > before || messages.some((message) => message.type === 'ended'));
			}
			if (!messages.some((message) => message.type === 'ended')) socket.send(JSON.stringify({ type: 'leave' }));
			await waitFor(() => messages.some((message) => message.type === 'ended'));
			socket.close();
		},
		{ url: interviewSocketUrl(token), email, answers }
	);
}

describe('response quality in the dashboard', () => {
	test('shows flags with reasons, filters the records by them, and lets a researcher override and clear one', async ({
		signedIn: { page, problems, user }
	}) => {
		const project = await apiRequest<{ id: string }>(page, 'POST', '/api/projects', {
			name: 'Quality study',
			researchGoals: 'Learn how new users get started.',
			interviewGuide: onboardingGuide()
		});
		await uploadTranscript(page, project.id, 'Full call', FULL);
		const lowId = await uploadTranscript(page, project.id, 'Silent call', NON_ANSWERS);

		await page.goto(`/projects/${project.id}/records`);
		const rows = page.locator('tbody tr');
		await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
		const lowRow = rows.filter({ hasText: 'Silent call' });
		await lowRow.getByText('Low quality', { exact: true }).waitFor();
		await lowRow.getByText('Non-answers 100%').waitFor();
		await rows.filter({ hasText: 'Full call' }).getByText('OK', { exact: true }).waitFor();

		await page.getByLabel('Quality').selectOption('low_quality');
		await page.waitForURL(/quality=low_quality/);
		await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
		await rows.first().getByRole('link', { name: 'Silent call' }).waitFor();

		await rows.first().getByRole('link', { name: 'Silent call' }).click();
		await page.waitForURL(new RegExp(`/records/${lowId}$`));
		const card = page.getByRole('region', { name: 'Quality' });
		await card.getByText(/of the answers said nothing/).waitFor();
		await card.getByRole('button', { name: 'Override flag' }).click();
		const form = page.getByRole('form', { name: 'Override the quality flag' });
		await form.getByLabel('Flag').selectOption('ok');
		await form.getByLabel('Note (optional)').fill('Short, but we called them back and they meant it.');
		await form.getByRole('button', { name: 'Save flag' }).click();
		await card.getByText('OK · set by hand').waitFor();
		await card.getByText(`Set to OK by ${user.name}`, { exact: false }).waitFor();

		// Kept: after a reload the override and its history are there.
		await page.reload();
		await card.getByText('OK · set by hand').waitFor();
		await card.getByText('What was measured').click();
		await card.getByRole('definition').filter({ hasText: '100%' }).first().waitFor();
		await card.getByText('Non-answers', { exact: true }).waitFor();
		await card.getByText('History (1)').click();
		await card.getByText('Short, but we called them back and they meant it.').first().waitFor();

		for (const scheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: scheme });
			expect(await axeViolations(page, `record page (${scheme})`)).toEqual([]);
		}

		await page.goto(`/projects/${project.id}/records?quality=low_quality`);
		await page.getByText('No records match').waitFor();
		await page.goto(`/projects/${project.id}/records?quality=ok`);
		await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
		await rows.filter({ hasText: 'Silent call' }).getByText('OK · set by hand').waitFor();
		for (const scheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: scheme });
			expect(await axeViolations(page, `records list (${scheme})`)).toEqual([]);
		}

		await page.goto(`/records/${lowId}`);
		await card.getByRole('button', { name: 'Clear override' }).click();
		await card.getByText('Low quality', { exact: true }).waitFor();
		await card.getByText('History (2)').waitFor();

		// A project report leaves the low-quality record out unless it is included.
		await page.goto(`/projects/${project.id}/reports`);
		await page.getByRole('button', { name: 'Generate project report' }).click();
		const dialog = page.getByRole('dialog', { name: 'Generate a project report' });
		await dialog.getByText('1 of 2 chosen').waitFor();
		await dialog.getByLabel('Include low-quality records').check();
		await dialog.getByText('2 of 2 chosen').waitFor();
		await dialog.getByLabel('Include low-quality records').uncheck();
		await dialog.getByText('1 of 2 chosen').waitFor();
		await dialog.getByRole('button', { name: 'Generate' }).click();
		await page.getByRole('link', { name: 'Project report · 1 record' }).click();
		await page.getByText('1 low-quality record left out').waitFor();

		await page.setViewportSize({ width: 360, height: 740 });
		for (const path of [`/records/${lowId}`, `/projects/${project.id}/records`]) {
			await page.goto(path);
			await page.getByRole('heading', { level: 1 }).waitFor();
			await page.waitForLoadState('networkidle');
			expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
		}
		expect(problems).toEqual([]);
	});

	test('the metrics page leaves out low-quality interviews until they are included', async ({ signedIn: { page, problems } }) => {
		const { projectId, links } = await studyWithLinks(page, {
			name: 'Metrics quality study',
			interviewer: 'Quality interviewer',
			count: 2
		});
		await page.goto('/projects');
		await typedInterview(page, links[0]!.token, 'full@example.com', [
			'I lead the design team for our onboarding flow and have done so for three years.',
			'Every day I use Figma for design work, Slack for messages and Linear for the roadmap.'
		]);
		await typedInterview(page, links[1]!.token, 'silent@example.com', ["I don't know.", 'No idea.', 'Pass.']);

		await page.goto(`/projects/${projectId}/metrics`);
		const started = page.locator('.stat').filter({ hasText: 'Interviews started' }).locator('.value');
		await page.getByText('1 interview is left out: its record is flagged low quality.').waitFor();
		await expect.poll(() => started.textContent(), { timeout: 15_000 }).toBe('1');
		await page.getByLabel('Include low-quality interviews').check();
		await page.getByText('Every interview counts, whatever its quality flag.').waitFor();
		await expect.poll(() => started.textContent(), { timeout: 15_000 }).toBe('2');
		expect(problems).toEqual([]);
	});
});
