/** Deepgram Aura as the AI binding runs it: linear16 bytes in an HTTP answer. */
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

export function synthesize(inputs: Ai_Cf_Deepgram_Aura_1_Input, errors: string[]): { spoken: Spoken; response: Response } {
	const { text } = inputs;
	const speaker = inputs.speaker ?? 'angus';
	if (!AURA_VOICES.includes(speaker)) errors.push(`aura has no speaker ${speaker}`);
	if (inputs.encoding !== 'linear16' || inputs.container !== 'none' || inputs.sample_rate !== 24_000)
		errors.push(`aura output ${JSON.stringify(inputs)}`);
	const pcm = speech(text);
	// Odd-sized chunks, as a network stream would deliver them.
	const body = new ReadableStream({
		start(controller) {
			for (let offset = 0; offset < pcm.byteLength; offset += 1_001) controller.enqueue(pcm.slice(offset, offset + 1_001));
			controller.close();
		}
	});
	return { spoken: { text, speaker, pcm }, response: new Response(body, { headers: { 'content-type': 'application/octet-stream' } }) };
}
