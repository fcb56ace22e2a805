import type OpenAI from 'openai';
import { openAiClient } from '../../../ai/openai-rest';
import { toBase64 } from '../../../ai/pcm';
import type { AudioChunk } from './chunks/source';
import type { SttProvider } from './limits';

/** Speech-to-text of one piece of a recording: OpenAI's transcriptions endpoint (through the SDK) or Whisper on Workers AI. */

export const WORKERS_AI_STT_MODEL = '@cf/openai/whisper-large-v3-turbo';
export const OPENAI_STT_MODEL = 'whisper-1';

export type SttSegment = { start?: number; end?: number; text?: string };
export type SttResult = { text?: string; segments?: SttSegment[] };

/** Transcribes pieces in order; `context` is the end of what the previous piece said, so a sentence cut between pieces reads on. */
export type Transcriber = (chunk: AudioChunk, context: string) => Promise<SttResult>;

function openAiTranscriber(client: OpenAI): Transcriber {
	return async (chunk, context) => {
		const result = await client.audio.transcriptions.create({
			file: new File([chunk.bytes], chunk.name),
			model: OPENAI_STT_MODEL,
			response_format: 'verbose_json',
			...(context ? { prompt: context } : {})
		});
		return { text: result.text, segments: result.segments };
	};
}

function workersAiTranscriber(env: Env): Transcriber {
	return async (chunk, context) =>
		env.AI.run(WORKERS_AI_STT_MODEL, { audio: toBase64(chunk.bytes), ...(context ? { initial_prompt: context } : {}) });
}

export async function transcriberFor(env: Env, provider: SttProvider): Promise<Transcriber> {
	return provider === 'openai' ? openAiTranscriber(await openAiClient(env)) : workersAiTranscriber(env);
}
