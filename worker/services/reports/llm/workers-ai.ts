import type { z } from 'zod';
import { ReportGenerationError } from '../errors';
import type { ChatMessage } from './openai';
import { jsonSchemaOf } from './schema';

/** One structured call to Llama 3.3 on Workers AI, and the limits of its context window. */

export const WORKERS_AI_REPORT_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
/** The model's context window on Workers AI: the prompt and the answer together. */
export const CONTEXT_TOKENS = 24_000;
/** The answer's room: a full report fits, and it is what the window must keep free. */
export const MAX_OUTPUT_TOKENS = 4_096;

/** The model refused the prompt as longer than its window: the caller splits it and asks again. */
export class ContextOverflow extends Error {}

/** How Workers AI words it: `5021: The estimated number of input and maximum output tokens (N) exceeded this model context window limit (M).` */
const OVERFLOW = /\b5021\b|context window|context length/i;

export async function askWorkersAi<T extends z.ZodType>(env: Env, messages: ChatMessage[], schema: T): Promise<z.infer<T>> {
	const run = env.AI.run.bind(env.AI) as (model: string, input: unknown) => Promise<unknown>;
	let answer: unknown;
	try {
		answer = await run(WORKERS_AI_REPORT_MODEL, {
			messages,
			max_tokens: MAX_OUTPUT_TOKENS,
			response_format: { type: 'json_schema', json_schema: jsonSchemaOf(schema) }
		});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		if (OVERFLOW.test(message)) throw new ContextOverflow(message);
		throw new ReportGenerationError('Workers AI could not write the report.');
	}
	let raw = (answer as { response?: unknown } | null)?.response;
	if (typeof raw === 'string') {
		try {
			raw = JSON.parse(raw);
		} catch {
			throw new ReportGenerationError('The model returned a report that is not valid JSON.');
		}
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) throw new ReportGenerationError('The model returned a report that does not match the expected structure.');
	return parsed.data;
}
