import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { InterviewStore } from '../../durable-objects';
import { FLUSH_MS, Recording } from '../../durable-objects/recording';
import { BYTES_PER_MS, FRAME_BYTES } from '../../worker/contracts/protocol-constants';
import { concat } from './helpers/workers-ai';

/** `ms` of PCM whose every byte says which frame it came from and where in it. */
const pcm = (label: number, ms: number) => Uint8Array.from({ length: ms * BYTES_PER_MS }, (_, index) => (label * 31 + index) & 0xff).buffer;

/** A fresh Interview object's storage, with nothing recorded. */
const freshObject = () => env.INTERVIEW.get(env.INTERVIEW.idFromName(`recording-buffer:${crypto.randomUUID()}`));

describe('the recording', () => {
	it('stores every byte of both tracks in order, though it reuses one buffer per track between writes and grows it for long deltas', async () => {
		const stored = await runInDurableObject(freshObject(), (_instance, state) => {
			const store = new InterviewStore(state.storage);
			const recording = new Recording(store);
			const sent = { respondent: [] as ArrayBuffer[], interviewer: [] as ArrayBuffer[] };
			let clockMs = 0;
			// Respondent frames of 40 ms back to back, and interviewer deltas of 40 ms and of 600 ms (longer than a write's worth).
			for (let label = 0; label < 30; label += 1) {
				clockMs += 40;
				const frame = pcm(label, 40);
				sent.respondent.push(frame);
				recording.push('respondent', frame, clockMs);
				const delta = pcm(100 + label, label % 7 === 3 ? 600 : 40);
				sent.interviewer.push(delta);
				recording.push('interviewer', delta, clockMs);
			}
			recording.flush();
			recording.forget();
			const read = (track: 'respondent' | 'interviewer') => concat([...store.audioChunks(track)].map((chunk) => chunk.pcm));
			return {
				respondent: { expected: concat(sent.respondent), got: read('respondent') },
				interviewer: { expected: concat(sent.interviewer), got: read('interviewer') },
				chunks: [...store.audioChunks('respondent')].map((chunk) => chunk.pcm.byteLength)
			};
		});
		expect(stored.respondent.got).toEqual(stored.respondent.expected);
		expect(stored.interviewer.got).toEqual(stored.interviewer.expected);
		// Writes happen as a track reaches 250 ms: no chunk of the steady respondent stream holds more than that and one frame.
		expect(Math.max(...stored.chunks)).toBeLessThanOrEqual(FLUSH_MS * BYTES_PER_MS + FRAME_BYTES);
	});
});
