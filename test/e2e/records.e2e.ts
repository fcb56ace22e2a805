import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl } from './browser';
import { installPageInterview, interviewSocketUrl } from './helpers/page-socket';
import { studyWithLinks } from './helpers/projects';

const ANSWERS = [
	[
		'I lead the design team for our onboarding flow and have done so for three years.',
		'Every day I use Figma, Slack and Linear for the roadmap.',
		'My first week was confusing because the documentation was scattered.'
	],
	[
		'I am a nurse on the night shift at the city hospital ward.',
		'I use spreadsheets, the scheduling tool and email all day.',
		'The documentation was confusing and the first week felt overwhelming.'
	]
];

/** Drives one interview over the real WebSocket from the browser, as a respondent typing answers after a second of quiet audio each. */
async function interview(page: Page, token: string, email: string, answers: string[]): Promise<void> {
	await installPageInterview(page);
	await page.evaluate(
		async ({ url, email, answers }) => {
			const { socket, messages, waitFor, turns } = await window.parleyInterview!(url, email);
			const asked = () => turns('interviewer');
			await waitFor(() => asked() >= 1);
			for (const [index, answer] of answers.entries()) {
				for (let frame = 0; frame < 25; frame += 1) {
					socket.send(new Int16Array(960).buffer);
					await new Promise((resume) => setTimeout(resume, 40));
				}
				const before = asked();
				socket.send(JSON.stringify({ type: 'text', content: answer }));
				const next = waitFor(() => asked() > before);
				if (index < answers.length - 1) await next;
				else await Promise.race([next.catch(() => undefined), new Promise((resume) => setTimeout(resume, 3000))]);
			}
			socket.send(JSON.stringify({ type: 'leave' }));
			await waitFor(() => messages.some((message) => message.type === 'ended'));
			socket.close();
		},
		{ url: interviewSocketUrl(token), email, answers }
	);
}

/** A two-second 440 Hz WAV uploaded as a record; the dashboard plays it back. */
async function uploadTone(page: Page, projectId: string): Promise<string> {
	const rate = 24_000;
	const samples = rate * 2;
	const wav = Buffer.alloc(44 + samples * 2);
	wav.write('RIFF', 0);
	wav.writeUInt32LE(36 + samples * 2, 4);
	wav.write('WAVEfmt ', 8);
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20);
	wav.writeUInt16LE(1, 22);
	wav.writeUInt32LE(rate, 24);
	wav.writeUInt32LE(rate * 2, 28);
	wav.writeUInt16LE(2, 32);
	wav.writeUInt16LE(16, 34);
	wav.write('data', 36);
	wav.writeUInt32LE(samples * 2, 40);
	for (let index = 0; index < samples; index += 1)
		wav.writeInt16LE(Math.round(Math.sin((index / rate) * 2 * Math.PI * 440) * 8000), 44 + index * 2);
	const response = await page.request.post(`/api/projects/${projectId}/records`, {
		headers: { Origin: baseUrl() },
		multipart: { file: { name: 'tone.wav', mimeType: 'audio/wav', buffer: wav }, title: 'Phone call' }
	});
	expect(response.status()).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

async function waitForRecords(page: Page, projectId: string, count: number) {
	await expect
		.poll(
			async () => ((await (await page.request.get(`/api/projects/${projectId}/records`)).json()) as { records: unknown[] }).records.length,
			{ timeout: 15_000 }
		)
		.toBe(count);
}

describe('records and reports', () => {
	test('plays a record, generates a single report and a project report whose quotes link back to the transcript', async ({
		signedIn: { page, problems }
	}) => {
		const { projectId, links } = await studyWithLinks(page, {
			name: 'Onboarding study',
			interviewer: 'Onboarding interviewer',
			count: 2,
			questions: 3
		});
		await page.goto('/projects');
		await interview(page, links[0]!.token, 'ada@example.com', ANSWERS[0]!);
		await interview(page, links[1]!.token, 'ben@example.com', ANSWERS[1]!);
		await waitForRecords(page, projectId, 2);

		await page.goto(`/projects/${projectId}/records`);
		const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
		expect(csv.suggestedFilename()).toMatch(/^records-.*\.csv$/);
		await page.getByRole('link', { name: 'ada@example.com' }).click();
		await page.getByRole('heading', { level: 1, name: 'ada@example.com' }).waitFor();
		await page.getByText('My first week was confusing because the documentation was scattered.').waitFor();
		const interviewAudio = page.locator('audio');
		await interviewAudio.waitFor();
		const third = page.getByRole('button', { name: /^Play from/ }).nth(2);
		await third.click();
		await expect
			.poll(() => interviewAudio.evaluate((element: HTMLAudioElement) => element.readyState), { timeout: 10_000 })
			.toBeGreaterThanOrEqual(2);
		await expect
			.poll(() => interviewAudio.evaluate((element: HTMLAudioElement) => element.currentTime), { timeout: 10_000 })
			.toBeGreaterThan(0);
		await expect.poll(() => page.locator('li[aria-current="true"]').count(), { timeout: 10_000 }).toBe(1);
		await interviewAudio.evaluate((element: HTMLAudioElement) => element.pause());
		await page.getByRole('button', { name: 'Generate report' }).click();
		await page.waitForURL(/\/reports\/[\w-]+$/);
		await page.getByText('Ready', { exact: true }).waitFor({ timeout: 20_000 });
		await page.getByRole('heading', { name: 'Answers per guide question' }).waitFor();
		await page.getByRole('button', { name: 'Print / Save as PDF' }).waitFor();
		const [markdown] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download Markdown' }).click()]);
		expect(markdown.suggestedFilename()).toMatch(/\.md$/);

		await page.goto(`/projects/${projectId}/reports`);
		await page.getByRole('button', { name: 'Generate project report' }).click();
		const dialog = page.getByRole('dialog', { name: 'Generate a project report' });
		await dialog.getByText('2 of 2 chosen').waitFor();
		await dialog.getByRole('button', { name: 'Generate' }).click();
		const projectReport = page.getByRole('link', { name: 'Project report · 2 records' });
		await projectReport.waitFor();
		await expect.poll(() => page.locator('li[data-status="ready"]').count(), { timeout: 20_000 }).toBe(2);
		await projectReport.click();
		await page.getByRole('heading', { name: 'Themes' }).waitFor();
		const quote = page.locator('figcaption a[href*="#turn-"]').first();
		const href = (await quote.getAttribute('href'))!;
		await quote.click();
		await page.waitForURL((url) => url.pathname + url.hash === href);
		const turnId = href.split('#')[1]!;
		await expect.poll(() => page.locator(`[id="${turnId}"]`).isVisible(), { timeout: 10_000 }).toBe(true);

		const recording = await uploadTone(page, projectId);
		await page.goto(`/records/${recording}`);
		const audio = page.locator('audio');
		await audio.waitFor();
		await audio.evaluate((element: HTMLAudioElement) => element.play());
		await expect
			.poll(() => audio.evaluate((element: HTMLAudioElement) => element.readyState), { timeout: 10_000 })
			.toBeGreaterThanOrEqual(2);
		await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime), { timeout: 10_000 }).toBeGreaterThan(0);

		await page.setViewportSize({ width: 360, height: 740 });
		for (const path of [`/records/${recording}`, `/projects/${projectId}/records`, `/projects/${projectId}/reports`]) {
			await page.goto(path);
			await page.getByRole('heading', { level: 1 }).waitFor();
			await page.waitForLoadState('networkidle');
			expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
		}

		expect(problems).toEqual([]);
	});
});
