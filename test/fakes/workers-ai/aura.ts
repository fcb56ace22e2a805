/**
 * Deepgram Aura as the AI binding runs it: an HTTP answer, linear16 bytes when all is well. It can
 * also answer as the service does when it goes wrong: an error status with Workers AI's JSON error,
 * or a compressed or wrapped body (MP3, WAV) that would play as noise if taken for raw PCM.
 */
import { speech } from './audio';

const AURA_VOICES: string[] = [
	'angus',
	'asteria',
	'arcas',
	'orion',
	'orpheus',
	'athena',
	'luna',
	'zeus',
	'perseus',
	'helios',
	'hera',
	'stella'
];

export type Spoken = { text: string; speaker: string; pcm: Uint8Array };

/**
 * How Aura answers: `pcm` (the request's linear16), `error` (429, Workers AI's "out of capacity"),
 * `mp3` (an ID3-tagged MP3, labelled audio/mpeg), `wav` (a RIFF/WAVE file, labelled audio/wav) or
 * `mpeg-frames` (bare MPEG audio frames under a generic label, so only the bytes tell).
 */
export type AuraAnswer = 'pcm' | 'error' | 'mp3' | 'wav' | 'mpeg-frames';

/** An MPEG-1 Layer III frame header (128 kb/s, 44.1 kHz) and a frame's worth of body. */
const mpegFrame = () => [0xff, 0xfb, 0x90, 0x64, ...new Array<number>(413).fill(0x55)];

function wav(pcm: Uint8Array): Uint8Array {
	const header = new DataView(new ArrayBuffer(44));
	const ascii = (offset: number, text: string) => [...text].forEach((char, index) => header.setUint8(offset + index, char.charCodeAt(0)));
	ascii(0, 'RIFF');
	header.setUint32(4, 36 + pcm.byteLength, true);
	ascii(8, 'WAVE');
	ascii(12, 'fmt ');
	header.setUint32(16, 16, true);
	header.setUint16(20, 1, true);
	header.setUint16(22, 1, true);
	header.setUint32(24, 24_000, true);
	header.setUint32(28, 48_000, true);
	header.setUint16(32, 2, true);
	header.setUint16(34, 16, true);
	ascii(36, 'data');
	header.setUint32(40, pcm.byteLength, true);
	return new Uint8Array([...new Uint8Array(header.buffer), ...pcm]);
}

/** A body as a network stream delivers it: odd-sized chunks. */
function chunked(bytes: Uint8Array): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(controller) {
			for (let offset = 0; offset < bytes.byteLength; offset += 1_001) controller.enqueue(bytes.slice(offset, offset + 1_001));
			controller.close();
		}
	});
}

function answer(kind: AuraAnswer, pcm: Uint8Array): Response {
	switch (kind) {
		case 'error':
			return new Response(
				JSON.stringify({
					errors: [{ code: 3040, message: 'Out of capacity: no more data centers to forward the request to' }],
					success: false
				}),
				{ status: 429, headers: { 'content-type': 'application/json' } }
			);
		case 'mp3':
			return new Response(chunked(new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, ...mpegFrame(), ...mpegFrame()])), {
				headers: { 'content-type': 'audio/mpeg' }
			});
		case 'wav':
			return new Response(chunked(wav(pcm)), { headers: { 'content-type': 'audio/wav' } });
		case 'mpeg-frames':
			return new Response(chunked(new Uint8Array([...mpegFrame(), ...mpegFrame(), ...mpegFrame()])), {
				headers: { 'content-type': 'application/octet-stream' }
			});
		case 'pcm':
			return new Response(chunked(pcm), { headers: { 'content-type': 'application/octet-stream' } });
	}
}

export function synthesize(
	inputs: Ai_Cf_Deepgram_Aura_1_Input,
	kind: AuraAnswer,
	errors: string[]
): { spoken: Spoken; response: Response } {
	const { text } = inputs;
	const speaker = inputs.speaker ?? 'angus';
	if (!AURA_VOICES.includes(speaker)) errors.push(`aura has no speaker ${speaker}`);
	if (inputs.encoding !== 'linear16' || inputs.container !== 'none' || inputs.sample_rate !== 24_000)
		errors.push(`aura output ${JSON.stringify(inputs)}`);
	const pcm = speech(text);
	return { spoken: { text, speaker, pcm: kind === 'pcm' ? pcm : new Uint8Array(0) }, response: answer(kind, pcm) };
}
