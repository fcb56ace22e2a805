/** The fake's audio: the interviewer's synthetic voice, loudness for its VAD, and checks of what clients append. */
import { createHash } from 'node:crypto';

export const BYTES_PER_MS = 48;

/**
 * Deterministic interviewer audio for a reply: a soft tone whose pitch depends on the text. Like real
 * speech it does not end on a whole millisecond (13 samples past one), so a client that rounds a
 * played duration up can cut past its end, which OpenAI refuses.
 */
export function synthAudio(text: string, msPerChar = 40): Buffer {
	const samples = Math.max(2_400, Math.round(text.length * msPerChar * 24)) + 13;
	const seed = [...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 7);
	const frequency = 180 + (seed % 160);
	const pcm = Buffer.alloc(samples * 2);
	for (let index = 0; index < samples; index += 1)
		pcm.writeInt16LE(Math.round(Math.sin((index / 24_000) * 2 * Math.PI * frequency) * 6_000), index * 2);
	return pcm;
}

export function rms(pcm: Buffer): number {
	let sum = 0;
	const count = Math.floor(pcm.byteLength / 2);
	for (let index = 0; index < count; index += 1) sum += pcm.readInt16LE(index * 2) ** 2;
	return count ? Math.sqrt(sum / count) : 0;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The PCM16 of an `input_audio_buffer.append`, or why it is not base64 PCM16. */
export function decodeAppend(audio: unknown): Buffer | string {
	if (typeof audio !== 'string' || !BASE64.test(audio) || audio.length % 4 !== 0) return 'audio must be base64';
	const pcm = Buffer.from(audio, 'base64');
	if (pcm.toString('base64') !== audio || pcm.byteLength % 2 !== 0) return 'audio must be base64 PCM16';
	return pcm;
}
