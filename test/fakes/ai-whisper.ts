/**
 * Whisper on a fake Workers AI binding (`@cf/openai/whisper-large-v3-turbo`), with the model's
 * shapes: base64 audio in, `{ text, word_count, segments, transcription_info }` out. It hears the
 * tone bursts of a WAV piece (see tone-bursts.ts), refuses anything that is not one the way the
 * binding does (an Error with a numbered message), and records what it received.
 */
import { burstText, hearBursts, wavSamples } from './tone-bursts';

export const WHISPER_MODEL = '@cf/openai/whisper-large-v3-turbo';

export type WhisperCall = { audioChars: number; bytes: number; initialPrompt: string | null };

function fromBase64(text: string): Uint8Array {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
	return bytes;
}

export function createFakeWhisper() {
	const calls: WhisperCall[] = [];
	return {
		calls,
		async run(model: string, inputs: Record<string, unknown>): Promise<unknown> {
			if (model !== WHISPER_MODEL) throw new Error(`the fake AI binding has no model ${model}`);
			if (typeof inputs.audio !== 'string') throw new Error('5006: Error: required properties at \'/\' are "audio"');
			const bytes = fromBase64(inputs.audio);
			calls.push({
				audioChars: inputs.audio.length,
				bytes: bytes.length,
				initialPrompt: typeof inputs.initial_prompt === 'string' ? inputs.initial_prompt : null
			});
			const wav = wavSamples(bytes);
			if (!wav) throw new Error('3010: Invalid or incomplete input for the model: the audio could not be decoded.');
			const segments = hearBursts(wav.pcm, wav.sampleRate).map((burst) => ({
				start: burst.startMs / 1000,
				end: burst.endMs / 1000,
				text: burstText(burst.index),
				temperature: 0,
				avg_logprob: -0.1,
				compression_ratio: 1,
				no_speech_prob: 0.01
			}));
			const text = segments.map((segment) => segment.text).join(' ');
			return {
				text,
				word_count: text ? text.split(/\s+/).length : 0,
				segments,
				transcription_info: { language: 'en', language_probability: 0.99, duration: wav.pcm.length / wav.sampleRate }
			};
		}
	};
}
