import type { Page } from 'playwright-core';
import { beforeAll, describe, expect } from 'vitest';
import { test } from './fixtures';
import { openPage, screenshot } from './browser';
import { api, completeOnboarding, createLink, createResearcher, turns, type CreatedLink, type Researcher } from './helpers/respondent';

const MOBILE = { width: 390, height: 844 };
const FRAME_BYTES = 1920;
const VOICE_ANSWER = 'Voice answer (not transcribed in local mode)';
const TYPED_ANSWER = 'Mostly on my phone in the evening, when the kids are asleep and the house is quiet.';

const remainingMs = async (page: Page) => Number(await page.getByRole('timer').getAttribute('data-remaining-ms'));

describe('respondent interview page', () => {
	let researcher: Researcher;

	beforeAll(async () => {
		researcher = await createResearcher();
	});

	test('runs an interview: onboarding, voice and typed answers, a reload that resumes, leaving', async ({ browser }) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		const audioFrames: number[] = [];
		let nonSilentFrames = 0;
		page.on('websocket', (socket) => {
			socket.on('framesent', ({ payload }) => {
				if (typeof payload === 'string') return;
				audioFrames.push(payload.byteLength);
				const samples = new Int16Array(payload.buffer, payload.byteOffset, Math.floor(payload.byteLength / 2));
				if (samples.some((sample) => Math.abs(sample) > 1000)) nonSilentFrames += 1;
			});
		});

		await page.goto(link.url);
		await page.getByRole('heading', { level: 1, name: 'Evening habits study' }).waitFor();
		await expect(page.getByText('Local mode').first().isVisible()).resolves.toBe(true);
		await completeOnboarding(page, 'respondent@example.com', 'voice');
		await page.waitForFunction(() => Number(document.querySelector('[role="meter"]')?.getAttribute('aria-valuenow')) > 0);
		await screenshot(page, 'interview-onboarding-mobile');

		await page.getByRole('button', { name: 'Start interview' }).click();
		await turns(page, 'interviewer').filter({ hasText: 'When do you usually use the app?' }).waitFor();
		await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await expect(page.getByRole('timer').textContent()).resolves.toMatch(/^\d+:\d\d$/);
		expect(await remainingMs(page)).toBeGreaterThan(0);

		// The fake microphone speaks; the local interviewer keeps it as an untranscribed voice answer.
		await turns(page, 'respondent').filter({ hasText: VOICE_ANSWER }).first().waitFor({ timeout: 45_000 });
		expect(audioFrames.length).toBeGreaterThan(10);
		expect(new Set(audioFrames)).toEqual(new Set([FRAME_BYTES]));
		expect(nonSilentFrames).toBeGreaterThan(0);

		// A typed answer shows up in the transcript and the interviewer moves on.
		await page.getByRole('button', { name: 'Mute' }).click();
		await page.getByRole('button', { name: 'Unmute' }).waitFor();
		const interviewerTurnsBefore = await turns(page, 'interviewer').count();
		await page.getByLabel('Type your answer').fill(TYPED_ANSWER);
		await page.getByRole('button', { name: 'Send' }).click();
		await turns(page, 'respondent').filter({ hasText: TYPED_ANSWER }).waitFor();
		await page.waitForFunction(
			(count) => document.querySelectorAll('li.turn[data-role="interviewer"]').length > count,
			interviewerTurnsBefore
		);
		// The transcript follows the conversation: it is scrolled to its end.
		await page.waitForFunction(() => {
			const log = document.querySelector('[role="log"]');
			return log !== null && log.scrollHeight > log.clientHeight && log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
		});
		await screenshot(page, 'interview-call-mobile');

		// A reload rejoins the same interview: same transcript, and the clock kept running.
		const turnsBeforeReload = await page.locator('li.turn').count();
		const remainingBeforeReload = await remainingMs(page);
		await page.reload();
		await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await turns(page, 'respondent').filter({ hasText: TYPED_ANSWER }).waitFor();
		await page.getByRole('button', { name: 'Unmute' }).waitFor();
		expect(await page.locator('li.turn').count()).toBeGreaterThanOrEqual(turnsBeforeReload);
		const remainingAfterReload = await remainingMs(page);
		expect(remainingAfterReload).toBeGreaterThan(0);
		expect(remainingAfterReload).toBeLessThan(remainingBeforeReload);

		await page.setViewportSize({ width: 1280, height: 800 });
		await screenshot(page, 'interview-call-desktop');
		await page.setViewportSize(MOBILE);
		await page.emulateMedia({ colorScheme: 'dark' });
		await screenshot(page, 'interview-call-dark-mobile');
		await page.emulateMedia({ colorScheme: 'light' });

		await page.getByRole('button', { name: 'Leave', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: 'Leave the interview?' });
		await dialog.waitFor();
		await dialog.getByRole('button', { name: 'Leave interview' }).click();
		await page.getByRole('heading', { level: 1, name: 'Thank you!' }).waitFor();
		await page.getByText('You left the interview. Thank you for your time.').waitFor();
		await turns(page, 'respondent').filter({ hasText: TYPED_ANSWER }).waitFor();
		await screenshot(page, 'interview-end-mobile');

		expect(problems).toEqual([]);
		await context.close();
	});

	test('refuses a second email while the first respondent is in the call', async ({ browser }) => {
		const link = await createLink(researcher);
		const first = await openPage(browser, { viewport: MOBILE });
		await first.page.goto(link.url);
		await completeOnboarding(first.page, 'first@example.com', 'text');
		await first.page.getByRole('button', { name: 'Start interview' }).click();
		await turns(first.page, 'interviewer').first().waitFor();

		const second = await openPage(browser, { viewport: MOBILE });
		await second.page.goto(link.url);
		await completeOnboarding(second.page, 'second@example.com', 'text');
		await second.page.getByRole('button', { name: 'Start interview' }).click();
		await second.page.getByText('This interview is already in use by another email address.').waitFor();
		await screenshot(second.page, 'interview-refused-in-use-mobile');
		await second.page.getByRole('button', { name: 'Use a different email' }).click();
		await expect(second.page.getByLabel('Your email').inputValue()).resolves.toBe('second@example.com');

		await expect(first.page.getByRole('status').filter({ hasText: 'Connected' }).isVisible()).resolves.toBe(true);
		expect(first.problems).toEqual([]);
		expect(second.problems).toEqual([]);
		await first.context.close();
		await second.context.close();
	});

	test('reconnects after a dropped connection and carries on with the same interview', async ({ browser }) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		const routes: { drop: () => Promise<void> }[] = [];
		const hellos: string[] = [];
		await page.routeWebSocket(/\/ws\/interview\//, (route) => {
			const server = route.connectToServer();
			route.onMessage((message) => {
				if (typeof message === 'string' && message.includes('"hello"')) hellos.push(message);
				server.send(message);
			});
			routes.push({
				drop: async () => {
					await server.close({ code: 1000 });
					await route.close({ code: 1011, reason: 'network drop' });
				}
			});
		});
		await page.goto(link.url);
		await completeOnboarding(page, 'dropped@example.com', 'text');
		await page.getByRole('button', { name: 'Start interview' }).click();
		await turns(page, 'interviewer').filter({ hasText: 'When do you usually use the app?' }).waitFor();
		const remainingBeforeDrop = await remainingMs(page);

		await routes[0]!.drop();
		await expect.poll(() => routes.length, { timeout: 15_000 }).toBe(2);
		await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		expect(hellos).toHaveLength(2);
		expect(JSON.parse(hellos[1]!)).toMatchObject({ type: 'hello', email: 'dropped@example.com', consent: true });
		expect(await remainingMs(page)).toBeLessThan(remainingBeforeDrop);

		await page.getByLabel('Type your answer').fill(TYPED_ANSWER);
		await page.getByRole('button', { name: 'Send' }).click();
		await turns(page, 'interviewer').filter({ hasText: 'Where are you when you use it?' }).waitFor();
		expect(problems).toEqual([]);
		await context.close();
	});

	test('plays interviewer audio from the server and drops it at once on playback.flush', async ({ browser }) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		const toPage: { send: (message: string | Buffer) => void }[] = [];
		await page.routeWebSocket(/\/ws\/interview\//, (route) => {
			route.connectToServer();
			toPage.push(route);
		});
		await page.goto(link.url);
		await completeOnboarding(page, 'listener@example.com', 'text');
		await page.getByRole('button', { name: 'Start interview' }).click();
		await turns(page, 'interviewer').filter({ hasText: 'When do you usually use the app?' }).waitFor();
		const activity = page.locator('.activity');
		await activity.filter({ hasText: 'Text mode: type your answers below.' }).waitFor();

		// Three seconds of a 440 Hz tone in 100 ms frames of PCM16LE at 24 kHz, as a provider would stream it.
		for (let frame = 0; frame < 30; frame += 1) {
			const pcm = Buffer.alloc(4800);
			for (let index = 0; index < 2400; index += 1)
				pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * (frame * 2400 + index)) / 24_000)), index * 2);
			toPage[0]!.send(pcm);
		}
		await activity.filter({ hasText: 'The interviewer is speaking' }).waitFor();
		toPage[0]!.send(JSON.stringify({ type: 'playback.flush' }));
		await activity.filter({ hasText: 'Text mode: type your answers below.' }).waitFor({ timeout: 1_000 });
		expect(problems).toEqual([]);
		await context.close();
	});

	test('resumes an anonymous interview in another tab, which takes it over', async ({ browser }) => {
		const created = await api<{ links: CreatedLink[] }>(`/api/interviewers/${researcher.interviewerId}/links`, {
			cookie: researcher.cookie,
			json: { kind: 'public', askEmail: 'off', maxUses: 2 }
		});
		expect(created.status).toBe(201);
		const link = created.body.links[0]!;
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		await page.goto(link.url);
		await page.getByRole('heading', { name: 'Before you start' }).waitFor();
		await expect(page.getByLabel('Your email').count()).resolves.toBe(0);
		await page.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
		await page.getByRole('button', { name: 'Continue in text mode' }).click();
		await page.getByRole('button', { name: 'Start interview' }).click();
		await turns(page, 'interviewer').filter({ hasText: 'When do you usually use the app?' }).waitFor();
		await page.getByLabel('Type your answer').fill(TYPED_ANSWER);
		await page.getByRole('button', { name: 'Send' }).click();
		await turns(page, 'respondent').filter({ hasText: TYPED_ANSWER }).waitFor();

		// A new tab shares localStorage (the resume token) but not the tab's session: it shows the
		// onboarding, then joins the same interview, and the first tab hears it was taken over.
		const secondTab = await context.newPage();
		await secondTab.goto(link.url);
		await secondTab.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
		await secondTab.getByRole('button', { name: 'Continue in text mode' }).click();
		await secondTab.getByRole('button', { name: 'Start interview' }).click();
		await turns(secondTab, 'respondent').filter({ hasText: TYPED_ANSWER }).waitFor();
		await page.getByRole('heading', { name: 'Continued in another tab' }).waitFor();
		await screenshot(page, 'interview-replaced-mobile');

		await page.getByRole('button', { name: 'Continue here' }).click();
		await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
		await secondTab.getByRole('heading', { name: 'Continued in another tab' }).waitFor();
		expect(problems).toEqual([]);
		await context.close();
	});

	test('says in a plain sentence that a cancelled link was cancelled', async ({ browser }) => {
		const link = await createLink(researcher);
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		await page.goto(link.url);
		await completeOnboarding(page, 'late@example.com', 'text');

		const cancelled = await api(`/api/links/${link.id}/cancel`, { method: 'POST', cookie: researcher.cookie });
		expect(cancelled.status).toBe(200);

		// Cancelled while the respondent was reading the onboarding: the join is refused.
		await page.getByRole('button', { name: 'Start interview' }).click();
		await page.getByText('This interview has been cancelled by the research team.').waitFor();

		// And a fresh visit says the same before any onboarding.
		await page.reload();
		await page.getByText('This interview has been cancelled by the research team.').waitFor();
		await expect(page.getByRole('button', { name: 'Start interview' }).count()).resolves.toBe(0);
		await screenshot(page, 'interview-refused-cancelled-mobile');
		expect(problems).toEqual([]);
		await context.close();
	});

	test('says so plainly when the link does not exist', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		await page.goto('/interview/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
		await page.getByText('This interview link doesn’t exist or is no longer valid.').waitFor();
		expect(problems).toEqual([]);
		await context.close();
	});

	test('follows the link’s language: Russian', async ({ browser }) => {
		const interviewer = await api<{ id: string }>(`/api/interviewers/${researcher.interviewerId}`, {
			method: 'PATCH',
			cookie: researcher.cookie,
			json: { language: 'ru' }
		});
		expect(interviewer.status).toBe(200);
		try {
			const link = await createLink(researcher);
			const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
			await page.goto(link.url);
			await page.getByRole('heading', { name: 'Перед началом' }).waitFor();
			await page.getByText('Около 10 минут.').waitFor();
			await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ru');
			await screenshot(page, 'interview-onboarding-ru-mobile');
			expect(problems).toEqual([]);
			await context.close();
		} finally {
			await api(`/api/interviewers/${researcher.interviewerId}`, {
				method: 'PATCH',
				cookie: researcher.cookie,
				json: { language: 'auto' }
			});
		}
	});

	test('explains a blocked or missing microphone and offers text mode', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		const link = await createLink(researcher);
		await page.addInitScript(() => {
			const failures = ['NotAllowedError', 'NotFoundError'];
			navigator.mediaDevices.getUserMedia = () =>
				Promise.reject(new DOMException('refused in this test', failures.shift() ?? 'NotAllowedError'));
		});
		await page.goto(link.url);
		await page.getByRole('button', { name: 'Allow microphone' }).click();
		await page.getByText('The microphone is blocked for this site.').waitFor();
		await page.getByText('set Microphone to Allow, then reload this page').waitFor();
		await screenshot(page, 'interview-microphone-denied-mobile');
		await page.getByRole('button', { name: 'Try again' }).click();
		await page.getByText('No microphone was found.').waitFor();
		await page.getByRole('button', { name: 'Continue in text mode' }).click();
		await page.getByText('Text mode: you will type your answers.').waitFor();

		// Start without consent: the form says what is missing instead of starting.
		await page.getByLabel('Your email').fill('not-an-email');
		await page.getByRole('button', { name: 'Start interview' }).click();
		await page.getByText('Enter an email address like name@example.com.').waitFor();
		await page.getByText('Please agree to the recording to start.').waitFor();
		await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('respondent-email');
		expect(problems).toEqual([]);
		await context.close();
	});

	test('captures 40 ms PCM16 frames at 24 kHz whatever rate the browser runs audio at', async ({ browser }) => {
		const { context, page, problems } = await openPage(browser, { viewport: MOBILE });
		await page.goto('/interview/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
		for (const contextRate of [48_000, 44_100, 24_000, 16_000]) {
			const measured = await page.evaluate(async (rate) => {
				const audio = new AudioContext({ sampleRate: rate });
				await audio.audioWorklet.addModule('/worklets/capture.js');
				const node = new AudioWorkletNode(audio, 'parley-capture', { channelCount: 1, channelCountMode: 'explicit' });
				const tone = new OscillatorNode(audio, { frequency: 1000 });
				const gain = new GainNode(audio, { gain: 0.5 });
				tone.connect(gain).connect(node).connect(audio.destination);
				const frames: ArrayBuffer[] = [];
				node.port.onmessage = (event: MessageEvent<{ pcm: ArrayBuffer }>) => void frames.push(event.data.pcm);
				tone.start();
				await new Promise((done) => setTimeout(done, 600));
				await audio.close();
				// Skip the first frame (the oscillator's start); count rising zero crossings in the rest.
				const samples = frames.slice(1).flatMap((frame) => Array.from(new Int16Array(frame)));
				let crossings = 0;
				for (let index = 1; index < samples.length; index += 1)
					if ((samples[index - 1] ?? 0) < 0 && (samples[index] ?? 0) >= 0) crossings += 1;
				return {
					sizes: [...new Set(frames.map((frame) => frame.byteLength))],
					hertz: (crossings * 24_000) / samples.length,
					peak: Math.max(...samples)
				};
			}, contextRate);
			expect(measured.sizes).toEqual([FRAME_BYTES]);
			expect(measured.hertz).toBeGreaterThan(980);
			expect(measured.hertz).toBeLessThan(1020);
			expect(measured.peak).toBeGreaterThan(0.45 * 0x7fff);
			expect(measured.peak).toBeLessThan(0.55 * 0x7fff);
		}
		expect(problems).toEqual([]);
		await context.close();
	});
});
