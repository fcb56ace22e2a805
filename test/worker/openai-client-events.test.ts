import { describe, expect, it } from 'vitest';
import { audioAppend, audioAppendJson, encode } from '../../worker/ai/openai-realtime/client-events';

describe('the audio append written out', () => {
	it('is exactly the JSON of the SDK-typed event, for frames of every size', () => {
		for (const bytes of [0, 2, 1_920, 4_800, 9_600]) {
			const pcm = new Uint8Array(bytes).map((_, index) => (index * 37) % 256).buffer;
			expect(audioAppendJson(pcm)).toBe(encode(audioAppend(pcm)));
		}
	});
});
