import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { AUDIO_BURST_MS } from '../../worker/contracts/protocol';
import type { RecordDetail } from '../../worker/contracts/records';
import { callJson } from './helpers/api';
import { FLUSH_MS } from '../../durable-objects/recording';
import { crash, linkObject, stored } from './helpers/durable';
import { join, pcmFrame, respondent, setUp } from './helpers/interview';

const FRAME_BYTES = 1920;
/** The most respondent audio an abrupt end of the process may lose. */
const CRASH_LOSS_MS = 250;
const BYTES_PER_MS = 48;

/** A joined respondent sends `frames` frames of speech back to back; resolves once the object has handled them all (a ping after them is answered). */
async function speakFrames(frames: number) {
	const { links } = await setUp();
	const joined = await join(links[0]!.token, { email: respondent() });
	for (let index = 0; index < frames; index += 1) joined.socket.send(pcmFrame(true));
	joined.socket.send(JSON.stringify({ type: 'ping' }));
	await joined.next('state');
	return linkObject(links[0]!.id);
}

describe('respondent audio is paced against the clock', () => {
	it('drops audio sent faster than real time, says so once, and never stores more than the wall clock allows', async () => {
		const { owner, links } = await setUp();
		const startedAt = Date.now();
		const joined = await join(links[0]!.token, { email: respondent() });
		const frames = 1_500;
		for (let index = 0; index < frames; index += 1) joined.socket.send(pcmFrame(index % 50 < 25));
		joined.socket.send(JSON.stringify({ type: 'ping' }));
		await joined.next('state');
		const elapsedMs = Date.now() - startedAt;

		const errors = joined.messages.filter((message) => message.type === 'error');
		expect(errors).toEqual([{ type: 'error', code: 'audio_rate', message: expect.any(String) }]);
		const storedBytes = await stored(linkObject(links[0]!.id), (store) => store.audioEndBytes('respondent'));
		expect(storedBytes).toBeLessThanOrEqual((elapsedMs + AUDIO_BURST_MS) * BYTES_PER_MS);
		expect(storedBytes).toBeLessThan(frames * FRAME_BYTES);

		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');
		const row = await env.DB.prepare('select usage, used_ms from interview where link_id = ?')
			.bind(links[0]!.id)
			.first<{ usage: string; used_ms: number }>();
		const dropped = JSON.parse(row!.usage)['parley.audio_frames_dropped'] as number;
		expect(dropped).toBeGreaterThan(frames - (elapsedMs + AUDIO_BURST_MS) / 40 - 1);
		const record = await env.DB.prepare('select id, audio_key from record where link_id = ?')
			.bind(links[0]!.id)
			.first<{ id: string; audio_key: string }>();
		// The record's counters say how much was dropped, for the researcher to see.
		const detail = await callJson<RecordDetail>(`/api/records/${record!.id}`, { as: owner.as });
		expect(detail.body.usage?.['parley.audio_frames_dropped']).toBe(dropped);
		const wav = await env.FILES.head(record!.audio_key);
		expect(wav!.size - 44).toBeLessThanOrEqual((row!.used_ms + AUDIO_BURST_MS) * BYTES_PER_MS);
	});

	it('stores 1.8 s of speech in writes of at most 250 ms each, the rest within 250 ms without waiting for more', async () => {
		const frames = 45;
		const stub = await speakFrames(frames);
		const chunks = await vi.waitFor(
			async () => {
				const all = await stored(stub, (store) => [...store.audioChunks('respondent')].map((chunk) => chunk.pcm.byteLength));
				expect(all.reduce((sum, bytes) => sum + bytes, 0)).toBe(frames * FRAME_BYTES);
				return all;
			},
			{ timeout: 5_000, interval: 50 }
		);
		// A write happens as soon as a track holds 250 ms or more: 7 frames of 40 ms, then the 3 left over on the timer.
		const framesPerWrite = Math.ceil((FLUSH_MS * BYTES_PER_MS) / FRAME_BYTES);
		const full = Math.floor(frames / framesPerWrite);
		expect(chunks).toEqual([...Array<number>(full).fill(framesPerWrite * FRAME_BYTES), (frames - full * framesPerWrite) * FRAME_BYTES]);
	});

	it('loses at most 250 ms of stored audio when the process dies mid-answer', async () => {
		const frames = 45;
		const stub = await speakFrames(frames);
		await crash();
		const kept = await stored(stub, (store) => store.audioEndBytes('respondent') - [...store.audioChunks('respondent')][0]!.offsetBytes);
		// The bound is the promise itself (250 ms), not whatever the recording's interval happens to be.
		expect(kept).toBeGreaterThanOrEqual(frames * FRAME_BYTES - CRASH_LOSS_MS * BYTES_PER_MS);
	});
});
