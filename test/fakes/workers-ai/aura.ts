/**
 * Deepgram Aura as the AI binding runs it (Aura-1 in English, Aura-2's Spanish model): an HTTP
 * answer, linear16 bytes when all is well. It can also answer as the service does when it goes
 * wrong: an error status with Workers AI's JSON error (a speaker the model lacks gets a 400), or a
 * compressed or wrapped body (MP3, WAV) that would play as noise if taken for raw PCM.
 */
import { AURA_1_MODEL, AURA_2_ES_MODEL } from '../../../worker/ai/workers-ai';
import { speech } from './audio';

export type AuraModel = typeof AURA_1_MODEL | typeof AURA_2_ES_MODEL;

/** Each model's speakers, as its published input type lists them. */
const SPEAKERS: Record<AuraModel, string[]> = {
	[AURA_1_MODEL]: ['angus', 'asteria', 'arcas', 'orion', 'orpheus', 'athena', 'luna', 'zeus', 'perseus', 'helios', 'hera', 'stella'],
	[AURA_2_ES_MODEL]: ['sirio', 'nestor', 'carina', 'celeste', 'alvaro', 'diana', 'aquila', 'selena', 'estrella', 'javier']
};

export type Spoken = { model: AuraModel; text: string; speaker: string; pcm: Uint8Array };

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

const workersAiError = (status: number, code: number, message: string) =>
	new Response(JSON.stringify({ errors: [{ code, message }], success: false }), {
		status,
		headers: { 'content-type': 'application/json' }
	});

function answer(kind: AuraAnswer, pcm: Uint8Array): Response {
	switch (kind) {
		case 'error':
			return workersAiError(429, 3040, 'Out of capacity: no more data centers to forward the request to');
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
	model: AuraModel,
	inputs: Ai_Cf_Deepgram_Aura_1_Input | Ai_Cf_Deepgram_Aura_2_Es_Input,
	kind: AuraAnswer,
	errors: string[]
): { spoken: Spoken; response: Response } {
	const { text } = inputs;
	const speaker = inputs.speaker ?? SPEAKERS[model][0]!;
	if (inputs.encoding !== 'linear16' || inputs.container !== 'none' || inputs.sample_rate !== 24_000)
		errors.push(`aura output ${JSON.stringify(inputs)}`);
	if (!SPEAKERS[model].includes(speaker)) {
		errors.push(`${model} has no speaker ${speaker}`);
		return { spoken: { model, text, speaker, pcm: new Uint8Array(0) }, response: workersAiError(400, 5006, `Invalid speaker: ${speaker}`) };
	}
	const pcm = speech(text);
	return { spoken: { model, text, speaker, pcm: kind === 'pcm' ? pcm : new Uint8Array(0) }, response: answer(kind, pcm) };
}
