// OpenAI Realtime end to end: Chromium ↔ wrangler dev (AI_PROVIDER=openai) ↔ a fake Realtime server on loopback.
// First through the respondent page with the fake microphone; then a byte-exact run where the page
// drives the interview protocol itself (opens /ws/interview/<token>, streams the speech fixture as
// 40 ms PCM frames in real time, plays what comes back through Web Audio).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { test } from './fixtures';
import { FAKE_API_KEY, startFakeRealtime, type FakeRealtime, type FakeSessionSummary } from '../fakes/openai-realtime.ts';
import { fixturePath } from './browser.ts';
import { startApp, type RunningApp } from './server.ts';

const GUIDE = {
	sections: [
		{ id: 's1', title: 'Habits', questions: [{ id: 'q1', text: 'When do you use the app?', probes: ['What else do you do then?'] }] }
	]
};

/** The PCM samples of a 16-bit mono WAV (its `data` chunk). */
function wavPcm(path: string): Buffer {
	const file = readFileSync(path);
	let offset = 12;
	while (offset + 8 <= file.byteLength) {
		const id = file.toString('ascii', offset, offset + 4);
		const size = file.readUInt32LE(offset + 4);
		if (id === 'data') return file.subarray(offset + 8, offset + 8 + size);
		offset += 8 + size + (size % 2);
	}
	throw new Error(`no data chunk in ${path}`);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let fake: FakeRealtime;
let app: RunningApp;

beforeAll(async () => {
	fake = await startFakeRealtime();
	app = await startApp({ AI_PROVIDER: 'openai', OPENAI_API_KEY: FAKE_API_KEY, OPENAI_REALTIME_URL: fake.url });
});

afterAll(async () => {
	await app?.stop();
	await fake?.close();
});

type Study = { token: string; cookie: string; projectId: string };

async function makeStudy(marker: string): Promise<Study> {
	const json = { 'Content-Type': 'application/json', Origin: app.url };
	const signup = await fetch(`${app.url}/api/auth/sign-up/email`, {
		method: 'POST',
		headers: json,
		body: JSON.stringify({ name: 'Robin', email: `robin-${marker}@example.com`, password: 'correct horse battery staple' })
	});
	const cookie = signup.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((line) => line?.includes('session_token='));
	if (!cookie) throw new Error(`sign-up failed: ${signup.status}`);
	const headers = { ...json, Cookie: cookie };
	const post = async <T>(path: string, body: unknown): Promise<T> => {
		const response = await fetch(`${app.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	};
	const project = await post<{ id: string }>('/api/projects', {
		name: 'Evening habits',
		researchGoals: `Learn when people use the app. ${marker}`,
		interviewGuide: GUIDE
	});
	const interviewer = await post<{ id: string }>(`/api/projects/${project.id}/interviewers`, {
		name: 'Habits',
		durationMinutes: 10,
		voice: 'marin',
		language: 'en'
	});
	const { links } = await post<{ links: Array<{ token: string }> }>(`/api/interviewers/${interviewer.id}/links`, {
		kind: 'single',
		count: 1
	});
	return { token: links[0]!.token, cookie, projectId: project.id };
}

/** The record the interview became, once completion has written it. */
async function recordOf(study: Study): Promise<string> {
	for (let attempt = 0; attempt < 100; attempt += 1) {
		const response = await fetch(`${app.url}/api/projects/${study.projectId}/records`, { headers: { Cookie: study.cookie } });
		const { records } = (await response.json()) as { records: { id: string }[] };
		if (records[0]) return records[0].id;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('the interview has no record');
}

/** A 16-bit WAV's channel count and samples (interleaved). */
function wavSamples(bytes: Buffer): { channels: number; samples: Int16Array } {
	const channels = bytes.readUInt16LE(22);
	const data = bytes.subarray(44);
	return { channels, samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) };
}

const transcriptTurns = (page: import('playwright-core').Page, role: 'interviewer' | 'respondent') =>
	page.locator(`li.turn[data-role="${role}"]`);

describe('an interview with AI_PROVIDER=openai, in Chromium', () => {
	test('on the respondent page: the fake microphone reaches the upstream unchanged, all the interviewer’s audio reaches the page and both transcripts show', async ({
		browser
	}) => {
		const marker = `page-${Date.now()}`;
		const study = await makeStudy(marker);
		const { token } = study;
		const context = await browser.newContext({ baseURL: app.url, viewport: { width: 390, height: 844 } });
		await context.grantPermissions(['microphone'], { origin: app.url });
		const page = await context.newPage();
		const problems: string[] = [];
		page.on('pageerror', (error) => problems.push(error.message));
		const sent: Buffer[] = [];
		let received = 0;
		page.on('websocket', (socket) => {
			socket.on('framesent', ({ payload }) => {
				if (typeof payload !== 'string') sent.push(Buffer.from(payload));
			});
			socket.on('framereceived', ({ payload }) => {
				if (typeof payload !== 'string') received += payload.byteLength;
			});
		});

		await page.goto(`/interview/${token}`);
		await page.getByLabel('Your email').fill('respondent@example.com');
		await page.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
		await page.getByRole('button', { name: 'Allow microphone' }).click();
		await page.getByText('The microphone is on.').waitFor();
		await page.getByRole('button', { name: 'Start interview' }).click();

		// The fake's VAD hears the looping fixture; its scripted transcript and reply come back as turns.
		await transcriptTurns(page, 'respondent')
			.filter({ hasText: 'I run the support team at a small bakery.' })
			.first()
			.waitFor({ timeout: 45_000 });
		await page.waitForFunction(() => document.querySelectorAll('li.turn[data-role="interviewer"]').length >= 2, undefined, {
			timeout: 30_000
		});
		const firstInterviewer = (await transcriptTurns(page, 'interviewer').first().textContent()) ?? '';
		// Whole, or cut where the respondent spoke over it (barge-in keeps only what was heard).
		expect(firstInterviewer).toMatch(/Hello|…/);

		await page.getByRole('button', { name: 'Leave', exact: true }).click();
		await page.getByRole('dialog', { name: 'Leave the interview?' }).getByRole('button', { name: 'Leave interview' }).click();
		await page.getByRole('heading', { level: 1, name: 'Thank you!' }).waitFor();

		const sentBytes = Buffer.concat(sent);
		const session = await (async () => {
			for (let attempt = 0; attempt < 100; attempt += 1) {
				const [found] = (await (await fetch(`http://127.0.0.1:${fake.port}/__sessions?match=${marker}`)).json()) as FakeSessionSummary[];
				if (found && found.audioBytes >= sentBytes.byteLength) return found;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			throw new Error('the upstream never got all the audio');
		})();
		expect(sentBytes.byteLength).toBeGreaterThan(48_000);
		expect(session.audioSha256).toBe(sha256(sentBytes));
		expect(session.protocolErrors).toEqual([]);
		expect(received).toBe(session.replies.reduce((sum, reply) => sum + reply.audioBytes, 0));

		// The researcher's record plays both sides: the microphone on the left, the interviewer on the right.
		const recordId = await recordOf(study);
		const [name, value] = study.cookie.split(/=(.*)/s) as [string, string];
		await context.addCookies([{ name, value, url: app.url }]);
		await page.goto(`/records/${recordId}`);
		await page.getByText('Both sides, time-aligned: the respondent on the left channel, the interviewer on the right.').waitFor();
		await page.getByRole('link', { name: 'Interviewer only (WAV)' }).waitFor();
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download audio (WAV)' }).click()]);
		expect(download.suggestedFilename()).toMatch(/-conversation\.wav$/);
		const stereo = wavSamples(readFileSync((await download.path())!));
		expect(stereo.channels).toBe(2);
		const side = async (track: string) =>
			wavSamples(
				Buffer.from(
					await (
						await fetch(`${app.url}/api/records/${recordId}/audio?track=${track}`, { headers: { Cookie: study.cookie } })
					).arrayBuffer()
				)
			);
		const [left, right] = [await side('respondent'), await side('interviewer')];
		expect(left.channels).toBe(1);
		expect(stereo.samples.length / 2).toBe(Math.max(left.samples.length, right.samples.length));
		expect(stereo.samples.filter((_, index) => index % 2 === 0).subarray(0, left.samples.length)).toEqual(left.samples);
		expect(stereo.samples.filter((_, index) => index % 2 === 1).subarray(0, right.samples.length)).toEqual(right.samples);
		// What the microphone sent is what the left channel holds.
		expect(Buffer.from(left.samples.buffer).includes(sentBytes.subarray(0, 4800))).toBe(true);
		expect(problems).toEqual([]);
		await context.close();
	});

	test('byte-exact over the protocol: the fixture reaches the upstream unchanged; the page plays exactly the two replies and gets both transcripts in order', async ({
		browser
	}) => {
		const marker = `e2e-${Date.now()}`;
		const { token } = await makeStudy(marker);
		const speech = wavPcm(fixturePath('answer-short-en'));
		const context = await browser.newContext({ baseURL: app.url });
		const page = await context.newPage();
		await page.goto('/');

		const result = await page.evaluate(
			async ({ token, speechBase64 }) => {
				const speech = Uint8Array.from(atob(speechBase64), (char) => char.charCodeAt(0));
				const audio = new AudioContext({ sampleRate: 24_000 });
				void audio.resume();
				let playAt = 0;
				let scheduled = 0;
				let firstAudioAt = 0;
				const received: Uint8Array[] = [];
				const turns: Array<{ id: string; role: string; text: string; at: number }> = [];
				const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/ws/interview/${token}`);
				socket.binaryType = 'arraybuffer';
				const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
				const until = async (check: () => boolean, ms = 15_000) => {
					const end = Date.now() + ms;
					while (!check()) {
						if (Date.now() > end) throw new Error(`timed out; turns: ${JSON.stringify(turns)}`);
						await wait(20);
					}
				};
				socket.onmessage = (event) => {
					if (typeof event.data === 'string') {
						const message = JSON.parse(event.data);
						if (message.type === 'turn') {
							const index = turns.findIndex((turn) => turn.id === message.id);
							if (index >= 0) turns[index] = message;
							else turns.push(message);
						}
						if (message.type === 'playback.flush') playAt = audio.currentTime;
						return;
					}
					// Play the interviewer's PCM16 24 kHz exactly as the browser client does: queue it on Web Audio.
					const bytes = new Uint8Array(event.data as ArrayBuffer);
					received.push(bytes);
					if (firstAudioAt === 0) firstAudioAt = performance.now();
					const samples = new Int16Array(bytes.buffer, 0, bytes.byteLength / 2);
					const buffer = audio.createBuffer(1, samples.length, 24_000);
					const channel = buffer.getChannelData(0);
					for (let index = 0; index < samples.length; index += 1) channel[index] = samples[index]! / 32_768;
					const source = audio.createBufferSource();
					source.buffer = buffer;
					source.connect(audio.destination);
					scheduled += buffer.duration;
					playAt = Math.max(playAt, audio.currentTime);
					source.start(playAt);
					playAt += buffer.duration;
				};
				await new Promise((resolve) => (socket.onopen = resolve));
				socket.send(JSON.stringify({ type: 'hello', protocol: 1, email: 'respondent@example.com', consent: true }));
				await until(() => turns.some((turn) => turn.role === 'interviewer'));
				// Let the greeting finish playing (by the wall clock: a headless AudioContext may not run), then
				// answer in real time, 40 ms at a time, and go quiet.
				await until(() => firstAudioAt > 0);
				await until(() => performance.now() >= firstAudioAt + scheduled * 1000 + 200);
				const frame = 1_920;
				for (let offset = 0; offset < speech.byteLength; offset += frame) {
					socket.send(speech.slice(offset, offset + frame));
					await wait(40);
				}
				for (let index = 0; index < 15; index += 1) {
					socket.send(new Uint8Array(frame));
					await wait(40);
				}
				await until(
					() => turns.some((turn) => turn.role === 'respondent') && turns.filter((turn) => turn.role === 'interviewer').length >= 2
				);
				await wait(300);
				socket.send(JSON.stringify({ type: 'leave' }));
				const bytes = received.reduce((sum, chunk) => sum + chunk.byteLength, 0);
				const all = new Uint8Array(bytes);
				let at = 0;
				for (const chunk of received) {
					all.set(chunk, at);
					at += chunk.byteLength;
				}
				let binary = '';
				for (let index = 0; index < all.length; index += 0x8000) binary += String.fromCharCode(...all.subarray(index, index + 0x8000));
				return { turns, scheduledSeconds: scheduled, receivedBase64: btoa(binary) };
			},
			{ token, speechBase64: speech.toString('base64') }
		);

		const response = await fetch(`http://127.0.0.1:${fake.port}/__sessions?match=${marker}`);
		const [session] = (await response.json()) as FakeSessionSummary[];
		expect(session!.protocolErrors).toEqual([]);
		expect(session!.instructions).toContain('When do you use the app?');

		// The respondent's speech arrived upstream sample for sample (then the trailing silence).
		const silence = Buffer.alloc(15 * 1_920);
		expect(session!.audioSha256).toBe(sha256(Buffer.concat([speech, silence])));

		// The page received, and played, exactly the interviewer's two replies.
		const received = Buffer.from(result.receivedBase64, 'base64');
		expect(session!.replies.length).toBe(2);
		expect(received.byteLength).toBe(session!.replies[0]!.audioBytes + session!.replies[1]!.audioBytes);
		expect(result.scheduledSeconds).toBeCloseTo(received.byteLength / 48_000, 2);

		expect(result.turns.map((turn) => [turn.role, turn.text])).toEqual([
			['interviewer', 'Hello, thank you for joining. What is your role?'],
			['respondent', 'I run the support team at a small bakery.'],
			['interviewer', 'Thank you. Which tools do you use every day?']
		]);
		expect(JSON.stringify(result)).not.toContain(FAKE_API_KEY);
		await context.close();
	});
});
