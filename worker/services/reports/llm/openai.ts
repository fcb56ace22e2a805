import { ZodError, type z } from 'zod';
import { classifyOpenAiError, openAiClient } from '../../../ai/openai-rest';
import { ReportGenerationError } from '../errors';
import { withoutLengthKeywords } from './schema';

/** Report generation through OpenAI's Chat Completions API: a strict schema from zod, parsed and validated by the SDK. */

type OpenAiVars = { OPENAI_API_KEY: string; OPENAI_REPORT_MODEL?: string };

export type ChatMessage = { role: 'system' | 'user'; content: string };

const NOT_JSON = 'The model returned a report that is not valid JSON.';
const MISMATCH = 'The model returned a report that does not match the expected structure.';
const DECLINED = 'The model declined to write this report.';

/** The SDK's errors in the words the failed report showed before it was used. */
async function reportError(error: unknown): Promise<ReportGenerationError> {
	if (error instanceof ReportGenerationError) return error;
	if (error instanceof ZodError) return new ReportGenerationError(MISMATCH);
	// A cut-off answer is unfinished JSON, which is how it was reported before the SDK named it.
	if (error instanceof SyntaxError) return new ReportGenerationError(NOT_JSON);
	const { LengthFinishReasonError, ContentFilterFinishReasonError } = await import('openai/core/error');
	if (error instanceof LengthFinishReasonError) return new ReportGenerationError(NOT_JSON);
	if (error instanceof ContentFilterFinishReasonError) return new ReportGenerationError(DECLINED);
	const failure = await classifyOpenAiError(error);
	if (failure.kind === 'unreachable') return new ReportGenerationError('OpenAI could not be reached.');
	if (failure.kind === 'status') return new ReportGenerationError(`OpenAI answered ${failure.status}.`);
	return new ReportGenerationError('The report could not be generated.');
}

export async function openAiStructured<T extends z.ZodType>(
	env: Pick<Env, 'OPENAI_API_KEY'>,
	messages: ChatMessage[],
	name: string,
	schema: T
): Promise<z.infer<T>> {
	const model = (env as OpenAiVars).OPENAI_REPORT_MODEL?.trim() || 'gpt-4.1-mini';
	try {
		const [client, { zodResponseFormat }] = await Promise.all([openAiClient(env), import('openai/helpers/zod')]);
		const format = zodResponseFormat(schema, name);
		format.json_schema.schema = withoutLengthKeywords(format.json_schema.schema ?? {});
		const completion = await client.chat.completions.parse({ model, messages, temperature: 0.2, response_format: format });
		const message = completion.choices[0]?.message;
		if (message?.refusal) throw new ReportGenerationError(DECLINED);
		if (message?.parsed === null || message?.parsed === undefined) throw new ReportGenerationError('OpenAI returned no report.');
		return message.parsed as z.infer<T>;
	} catch (error) {
		throw await reportError(error);
	}
}
