import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RecordDetail } from '../../worker/contracts/records';
import { audioKey } from '../../worker/lib/storage-keys';
import { wavHeader } from '../../worker/lib/wav';
import { call, callJson } from './helpers/api';
import { join, pcmFrame, respondent, setUp } from './helpers/interview';
import { openaiInterview, sessions, turnsOf, useOpenAi } from './helpers/openai';
import { followPlayback } from './helpers/playback';
import { completeInterview } from './records-fixtures';

/**
 * Both sides of an interview in one stereo WAV (respondent left, interviewer right), aligned on the
 * interview's timeline, streamed from the two stored tracks; each side alone to download; and what
 * local mode's record says about the interviewer's voice.
 */

useOpenAi();

type WavFormat = {
	channels: number;
	sampleRate: number;
	byteRate: number;
	blockAlign: number;
	bits: number;
	dataBytes: number;
	riffBytes: number;
};

function formatOf(bytes: Uint8Array): WavFormat {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const tag = (offset: number) => new TextDecoder().decode(bytes.subarray(offset, offset + 4));
	expect([tag(0), tag(8), tag(12), tag(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
	return {
		riffBytes: view.getUint32(4, true),
		channels: view.getUint16(22, true),
		sampleRate: view.getUint32(24, true),
		byteRate: view.getUint32(28, true),
		blockAlign: view.getUint16(32, true),
		bits: view.getUint16(34, true),
		dataBytes: view.getUint32(40, true)
	};
}

/** The samples of one channel of an interleaved 16-bit stereo file (after its 44-byte header). */
function channel(stereo: Uint8Array, which: 0 | 1): Int16Array {
	const frames = new Int16Array(stereo.buffer.slice(stereo.byteOffset + 44, stereo.byteOffset + stereo.byteLength));
	return frames.filter((_, index) => index % 2 === which);
}

/** A mono track's samples, padded with silence to `length`. */
function padded(mono: Uint8Array, length: number): Int16Array {
	const out = new Int16Array(length);
	out.set(new Int16Array(mono.buffer.slice(mono.byteOffset + 44, mono.byteOffset + mono.byteLength)));
	return out;
}

const firstSound = (samples: Int16Array) => samples.findIndex((sample) => Math.abs(sample) > 100);

async function bytesOf(response: Response): Promise<Uint8Array> {
	return new Uint8Array(await response.arrayBuffer());
}

async function stored(key: string): Promise<Uint8Array> {
	return new Uint8Array(await (await env.FILES.get(key))!.arrayBuffer());
}

describe('the recording holds both sides', () => {
	it('an OpenAI interview plays as one stereo WAV: respondent left, interviewer right, sample-aligned with the stored tracks', async () => {
		const { marker, token, owner, project } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		const playback = followPlayback(joined);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const [greeted] = await sessions(marker);
		await playback.played(greeted!.replies[0]!.audioBytes);
		for (let index = 0; index < 50; index += 1) joined.socket.send(pcmFrame(index >= 5 && index < 35));
		await joined.waitFor((messages) => (turnsOf(messages).length >= 3 ? true : undefined));
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');

		const row = await env.DB.prepare('select r.id, r.audio_key, r.interview_id from record r where r.project_id = ?')
			.bind(project.id)
			.first<{ id: string; audio_key: string; interview_id: string }>();
		const detail = (await callJson<RecordDetail>(`/api/records/${row!.id}`, { as: owner.as })).body;
		expect(detail).toMatchObject({ hasAudio: true, audioTracks: ['respondent', 'interviewer'], interviewerVoice: 'recorded' });

		const respondentWav = await stored(row!.audio_key);
		const interviewerWav = await stored(audioKey(owner.me.workspace.id, project.id, row!.interview_id, 'interviewer'));
		const samples = Math.max(respondentWav.byteLength, interviewerWav.byteLength) / 2 - 22;

		const whole = await call(`/api/records/${row!.id}/audio`, { as: owner.as });
		expect(whole.status).toBe(200);
		expect(whole.headers.get('Content-Type')).toBe('audio/wav');
		expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
		expect(whole.headers.get('Content-Length')).toBe(String(44 + samples * 4));
		const stereo = await bytesOf(whole);
		expect(stereo.byteLength).toBe(44 + samples * 4);
		expect(formatOf(stereo)).toEqual({
			riffBytes: 36 + samples * 4,
			channels: 2,
			sampleRate: 24_000,
			byteRate: 24_000 * 4,
			blockAlign: 4,
			bits: 16,
			dataBytes: samples * 4
		});
		const left = channel(stereo, 0);
		const right = channel(stereo, 1);
		expect(left).toEqual(padded(respondentWav, samples));
		expect(right).toEqual(padded(interviewerWav, samples));
		// On the one timeline: the greeting is heard first on the right, the answer after it on the left.
		const greetingStart = firstSound(right);
		const answerStart = firstSound(left);
		expect(greetingStart).toBeGreaterThanOrEqual(0);
		expect(answerStart).toBeGreaterThan(greetingStart + greeted!.replies[0]!.audioBytes / 2 - 24_000 * 0.3);

		// Seeking: any byte range is the same bytes as the whole file, header and odd offsets included.
		for (const [from, to] of [
			[0, 43],
			[10, 99],
			[45, 45 + 3 * 65_536 + 3],
			[stereo.byteLength - 1001, stereo.byteLength - 1]
		] as const) {
			const part = await call(`/api/records/${row!.id}/audio`, { headers: { Range: `bytes=${from}-${to}` }, as: owner.as });
			expect(part.status).toBe(206);
			expect(part.headers.get('Content-Range')).toBe(`bytes ${from}-${to}/${stereo.byteLength}`);
			expect(await bytesOf(part)).toEqual(stereo.subarray(from, to + 1));
		}
		const beyond = await call(`/api/records/${row!.id}/audio`, { headers: { Range: `bytes=${stereo.byteLength}-` }, as: owner.as });
		expect(beyond.status).toBe(416);

		// Each side alone, and the download names.
		const saved = await call(`/api/records/${row!.id}/audio?download`, { as: owner.as });
		expect(saved.headers.get('Content-Disposition')).toMatch(/^attachment; filename=".*-conversation\.wav"$/);
		expect(await bytesOf(saved)).toEqual(stereo);
		const respondentOnly = await call(`/api/records/${row!.id}/audio?track=respondent&download`, { as: owner.as });
		expect(respondentOnly.headers.get('Content-Disposition')).toMatch(/-respondent\.wav"$/);
		expect(await bytesOf(respondentOnly)).toEqual(respondentWav);
		const interviewerOnly = await call(`/api/records/${row!.id}/audio?track=interviewer`, { as: owner.as });
		expect(await bytesOf(interviewerOnly)).toEqual(interviewerWav);
		expect((await call(`/api/records/${row!.id}/audio?track=both`, { as: owner.as })).status).toBe(400);
	});

	it('tracks of different lengths are streamed block by block and the shorter one is padded with silence', async () => {
		const { owner, project } = await setUp();
		const interviewId = crypto.randomUUID();
		const wav = (samples: number, value: (index: number) => number) => {
			const pcm = new Int16Array(samples);
			for (let index = 0; index < samples; index += 1) pcm[index] = value(index);
			const out = new Uint8Array(44 + samples * 2);
			out.set(wavHeader(samples * 2));
			out.set(new Uint8Array(pcm.buffer), 44);
			return out;
		};
		// About 9 s and 3 s: many 64 KB blocks, a shorter right channel, values that show any slip of a sample.
		const leftWav = wav(24_000 * 9 + 7, (index) => (index % 30_000) - 15_000);
		const rightWav = wav(24_000 * 3 + 1, (index) => -((index * 7) % 20_000));
		const workspaceId = owner.me.workspace.id;
		const respondentKey = audioKey(workspaceId, project.id, interviewId, 'respondent');
		await env.FILES.put(respondentKey, leftWav);
		await env.FILES.put(audioKey(workspaceId, project.id, interviewId, 'interviewer'), rightWav);
		const recordId = crypto.randomUUID();
		await env.DB.prepare(
			`insert into record (id, workspace_id, project_id, interview_id, source, title, status, audio_key, created_at)
			 values (?, ?, ?, ?, 'interview', 'Synthetic', 'ready', ?, ?)`
		)
			.bind(recordId, workspaceId, project.id, interviewId, respondentKey, Date.now())
			.run();

		const stereo = await bytesOf(await call(`/api/records/${recordId}/audio`, { as: owner.as }));
		const samples = 24_000 * 9 + 7;
		expect(formatOf(stereo)).toMatchObject({ channels: 2, dataBytes: samples * 4 });
		expect(channel(stereo, 0)).toEqual(padded(leftWav, samples));
		expect(channel(stereo, 1)).toEqual(padded(rightWav, samples));
		const from = 44 + 32 * 1024 * 4 - 5;
		const part = await call(`/api/records/${recordId}/audio`, { headers: { Range: `bytes=${from}-${from + 300_000}` }, as: owner.as });
		expect(await bytesOf(part)).toEqual(stereo.subarray(from, from + 300_001));
	});

	it('in local mode the record says the browser spoke the interviewer, and the audio is the respondent alone', async () => {
		const previous = env.AI_PROVIDER;
		Object.assign(env, { AI_PROVIDER: 'local' });
		try {
			const setup = await setUp();
			const recordId = await completeInterview(setup, ['I run the support desk.'], { voice: true });
			const detail = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as })).body;
			expect(detail).toMatchObject({ provider: 'local', audioTracks: ['respondent'], interviewerVoice: 'spoken_in_browser' });
			const audio = await bytesOf(await call(`/api/records/${recordId}/audio`, { as: setup.owner.as }));
			expect(formatOf(audio).channels).toBe(1);
			expect((await call(`/api/records/${recordId}/audio?track=interviewer`, { as: setup.owner.as })).status).toBe(404);
		} finally {
			Object.assign(env, { AI_PROVIDER: previous });
		}
	});
});
