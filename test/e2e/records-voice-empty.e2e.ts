import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { screenshot } from './browser';
import { installPageInterview, interviewSocketUrl } from './helpers/page-socket';
import { studyWithLinks } from './helpers/projects';

/**
 * The record page for a local-mode interview with a voice answer (reportable, the recording honest
 * about the interviewer's voice, the WAV download), and an empty interview (hidden, shown on demand,
 * never reported, its single-use link open again).
 */

type Step = { voice: true } | { text: string };

/** Drives one interview over the real WebSocket from the browser: spoken answers (a tone) or typed ones, then leave. */
async function interview(page: Page, token: string, email: string, steps: Step[]): Promise<void> {
	await installPageInterview(page);
	await page.evaluate(
		async ({ url, email, steps }) => {
			const { socket, messages, waitFor, turns } = await window.parleyInterview!(url, email);
			await waitFor(() => turns('interviewer') >= 1);
			for (const step of steps) {
				const answered = turns('respondent');
				if ('text' in step) socket.send(JSON.stringify({ type: 'text', content: step.text }));
				else
					for (let frame = 0; frame < 60; frame += 1) {
						const pcm = new Int16Array(960);
						if (frame < 30) for (let index = 0; index < pcm.length; index += 1) pcm[index] = Math.round(Math.sin(index / 10) * 12_000);
						socket.send(pcm.buffer);
						await new Promise((resume) => setTimeout(resume, 40));
					}
				await waitFor(() => turns('respondent') > answered);
			}
			socket.send(JSON.stringify({ type: 'leave' }));
			await waitFor(() => messages.some((message) => message.type === 'ended'));
			socket.close();
		},
		{ url: interviewSocketUrl(token), email, steps }
	);
}

const recordsOf = async (page: Page, projectId: string, query = '') =>
	((await (await page.request.get(`/api/projects/${projectId}/records${query}`)).json()) as { records: { id: string; status: string }[] })
		.records;

describe('records with voice answers, and empty interviews', () => {
	test('a record with a voice answer and a typed one is reportable, says the browser spoke the interviewer, and downloads as WAV', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, links } = await studyWithLinks(page, {
			name: 'Support study',
			researchGoals: 'Learn how support teams work.',
			interviewer: 'Support interviewer',
			count: 1
		});
		await page.goto('/projects');
		await interview(page, links[0]!.token, 'vera@example.com', [
			{ voice: true },
			{ text: 'Every day I use Zendesk, Slack and a shared wiki.' }
		]);
		await expect
			.poll(async () => (await recordsOf(page, projectId)).map((record) => record.status), { timeout: 15_000 })
			.toEqual(['ready']);
		const [record] = await recordsOf(page, projectId);

		await page.goto(`/records/${record!.id}`);
		await page.getByRole('heading', { level: 1, name: 'vera@example.com' }).waitFor();
		await page
			.getByText("The interviewer's voice is not recorded: in local mode the respondent's browser spoke it.", { exact: false })
			.waitFor();
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download audio (WAV)' }).click()]);
		expect(download.suggestedFilename()).toMatch(/-conversation\.wav$/);
		const generate = page.getByRole('button', { name: 'Generate report' });
		expect(await generate.isDisabled()).toBe(false);
		await generate.click();
		await page.waitForURL(/\/reports\/[\w-]+$/);
		await page.getByText('Ready', { exact: true }).waitFor({ timeout: 20_000 });
		await page.getByText('(voice answer, not transcribed)').first().waitFor();
		await page.getByText('Voice answers not transcribed: 1', { exact: false }).waitFor();

		// The record page fits a phone, in both themes.
		await page.setViewportSize({ width: 360, height: 740 });
		for (const scheme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: scheme });
			await page.goto(`/records/${record!.id}`);
			await page.getByRole('link', { name: 'Download audio (WAV)' }).waitFor();
			await page.waitForLoadState('networkidle');
			expect(await page.evaluate(() => document.documentElement.scrollWidth), scheme).toBeLessThanOrEqual(360);
			await screenshot(page, `record-local-voice-360-${scheme}`);
		}
		expect(problems).toEqual([]);
	});

	test('start then leave: no record in the list until "Show empty", never reported, and the link starts again', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, links } = await studyWithLinks(page, {
			name: 'Support study',
			researchGoals: 'Learn how support teams work.',
			interviewer: 'Support interviewer',
			count: 1
		});
		await page.goto('/projects');
		await interview(page, links[0]!.token, 'quick@example.com', []);
		await expect.poll(async () => (await recordsOf(page, projectId, '?includeEmpty=true')).length, { timeout: 15_000 }).toBe(1);

		await page.goto(`/projects/${projectId}/records`);
		await page.getByText('No records yet').waitFor();
		await page.getByLabel('Show empty').check();
		await page.waitForURL(/includeEmpty=true/);
		const row = page.getByRole('link', { name: 'quick@example.com' });
		await row.waitFor();
		await page.getByText('Empty', { exact: true }).first().waitFor();
		await screenshot(page, 'records-show-empty-1280');
		await row.click();
		await page.getByRole('note').filter({ hasText: 'Nobody answered in this interview' }).waitFor();
		expect(await page.getByRole('button', { name: 'Generate report' }).isDisabled()).toBe(true);

		const balance = (await (await page.request.get('/api/billing/balance')).json()) as { available: number; reserved: number };
		expect(balance.reserved).toBe(10);
		await page.goto(`/interview/${links[0]!.token}`);
		await page.getByLabel('Your email').waitFor();
		expect(problems).toEqual([]);
	});
});
