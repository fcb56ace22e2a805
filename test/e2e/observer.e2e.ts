import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { baseUrl, openPage, screenshot } from './browser';
import { apiRequest, settle } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';
import { completeOnboarding, createLink, createResearcher, turns } from './helpers/respondent';

const PHONE = { width: 360, height: 780 };
const FIRST_ANSWER = 'Last Tuesday, a pair of running shoes, late in the evening on my phone.';
const SECOND_ANSWER = 'I picked a size, typed my card twice because the form cleared itself, then paid.';

/** A single-use link of a new interviewer in the signed-in researcher's project. */
async function linkOfNewInterviewer(page: Page, projectId: string): Promise<{ url: string; id: string }> {
	const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
		name: 'Evening habits study',
		durationMinutes: 10
	});
	const created = await apiRequest<{ links: { url: string; id: string }[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
		kind: 'single',
		count: 1
	});
	return created.links[0]!;
}

/** A respondent in a phone-sized browser, in text mode, past the interviewer's first question. */
async function startRespondent(browser: Parameters<typeof openPage>[0], url: string) {
	const respondent = await openPage(browser, { viewport: PHONE });
	await respondent.page.goto(url);
	await completeOnboarding(respondent.page, 'evening@example.com', 'text');
	await respondent.page.getByRole('button', { name: 'Start interview' }).click();
	await turns(respondent.page, 'interviewer').first().waitFor();
	return respondent;
}

async function answer(page: Page, text: string) {
	await page.getByLabel('Type your answer').fill(text);
	await page.getByRole('button', { name: 'Send' }).click();
}

/** A respondent joined over a plain WebSocket from Node; resolves with the interview's id from the welcome. */
async function joinFromNode(linkUrl: string): Promise<{ interviewId: string; socket: WebSocket }> {
	const token = linkUrl.split('/interview/')[1]!;
	const socket = new WebSocket(`${baseUrl().replace(/^http/, 'ws')}/ws/interview/${token}`);
	await new Promise((resolve, reject) => {
		socket.addEventListener('open', resolve);
		socket.addEventListener('error', reject);
	});
	const welcome = new Promise<{ interview: string }>((resolve) =>
		socket.addEventListener('message', (event: MessageEvent<string>) => {
			const message = JSON.parse(event.data) as { type: string; interview: string };
			if (message.type === 'welcome') resolve(message);
		})
	);
	socket.send(JSON.stringify({ type: 'hello', protocol: 1, email: 'node@example.com', consent: true }));
	return { interviewId: (await welcome).interview, socket };
}

describe('watching an interview live', () => {
	test('a researcher finds the running interview on the Links page and sees the respondent’s answers as they are typed', async ({
		browser,
		signedIn: { page, problems }
	}) => {
		const projectId = await createReadyProject(page);
		const link = await linkOfNewInterviewer(page, projectId);
		const respondent = await startRespondent(browser, link.url);

		await page.goto(`/projects/${projectId}/links`);
		const liveNow = page.getByRole('region', { name: 'Live now' });
		await liveNow.getByText('evening@example.com').waitFor();
		await page.getByRole('row').filter({ hasText: 'Live now' }).waitFor();
		await settle(page);
		await screenshot(page, 'links-live-now');
		await page.getByRole('link', { name: /^Watch live on / }).click();

		await page.waitForURL(`**/projects/${projectId}/live/*`);
		await page.getByRole('heading', { level: 2, name: 'evening@example.com' }).waitFor();
		await page.getByRole('status').filter({ hasText: 'Watching live' }).waitFor();
		await expect(page.getByRole('timer', { name: 'Time left' }).textContent()).resolves.toMatch(/^\d+:\d\d$/);
		const log = page.getByRole('log');
		await expect(log.getAttribute('aria-live')).resolves.toBe('polite');
		await turns(page, 'interviewer').filter({ hasText: 'When did you last buy something online?' }).waitFor();
		const checklist = page.getByRole('list', { name: 'Guide coverage' });
		const entry = (question: string) => checklist.getByRole('listitem').filter({ hasText: question });
		await entry('When did you last buy something online?').getByText('Asked').waitFor();
		await entry('Walk me through your last checkout.').getByText('Not asked').waitFor();

		await answer(respondent.page, FIRST_ANSWER);
		await turns(page, 'respondent').filter({ hasText: FIRST_ANSWER }).waitFor();
		await turns(page, 'interviewer').filter({ hasText: 'Walk me through your last checkout.' }).waitFor();
		// The checklist follows without a reload: the first question answered, the second asked.
		await entry('When did you last buy something online?').getByText('Answered').waitFor();
		await entry('Walk me through your last checkout.').getByText('Asked').waitFor();
		await page.getByText('1 of 2 questions answered').waitFor();
		await screenshot(page, 'observer-live-desktop');

		await page.setViewportSize(PHONE);
		await page.emulateMedia({ colorScheme: 'dark' });
		await settle(page);
		await screenshot(page, 'observer-live-dark-phone');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.emulateMedia({ colorScheme: 'light' });

		// The second answer covers the guide: the interviewer closes, and the page says so and links to the record.
		await answer(respondent.page, SECOND_ANSWER);
		await turns(page, 'respondent').filter({ hasText: SECOND_ANSWER }).waitFor();
		await page.getByText('This interview is over').waitFor();
		await page.getByText('The interviewer covered the guide and closed the interview.').waitFor();
		await page.getByRole('status').filter({ hasText: 'Interview over' }).waitFor();
		await screenshot(page, 'observer-ended-phone');
		const observerUrl = page.url();
		await page.getByRole('link', { name: 'Open the record' }).click();
		await page.waitForURL('**/records/*');
		await page.getByText(SECOND_ANSWER).first().waitFor();
		const recordUrl = page.url();

		// Coming back to watch an interview that is over opens its record instead.
		await page.goto(observerUrl);
		await page.waitForURL(recordUrl);
		await page.getByText(SECOND_ANSWER).first().waitFor();

		expect(problems).toEqual([]);
		expect(respondent.problems).toEqual([]);
		await respondent.context.close();
	});

	test('another workspace’s researcher is refused, and gets nothing of the interview', async ({ signedIn: { page, problems } }) => {
		const victim = await createResearcher();
		const running = await joinFromNode((await createLink(victim)).url);
		const ownProject = await createReadyProject(page, 'My own study');
		const frames: string[] = [];
		page.on('websocket', (socket) => {
			if (socket.url().includes('/ws/observe/')) socket.on('framereceived', ({ payload }) => frames.push(String(payload)));
		});

		await page.goto(`/projects/${ownProject}/live/${running.interviewId}`);
		await page.getByRole('heading', { name: 'Interview not found' }).waitFor();
		expect(frames).toHaveLength(1);
		expect(JSON.parse(frames[0]!)).toMatchObject({ type: 'error', code: 'interview_not_found' });
		await expect(page.getByRole('log').count()).resolves.toBe(0);
		await screenshot(page, 'observer-refused');

		running.socket.close();
		expect(problems).toEqual([]);
	});
});
