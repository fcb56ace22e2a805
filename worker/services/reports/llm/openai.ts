import { openAiBaseUrl } from '../../../ai/openai-rest';
import { ReportGenerationError } from '../errors';

/** Report generation through OpenAI's Chat Completions API with a strict JSON schema. */

type OpenAiVars = { OPENAI_API_KEY: string; OPENAI_REPORT_MODEL?: string };

export type ChatMessage = { role: 'system' | 'user'; content: string };

export async function openAiStructured(
	env: Pick<Env, 'OPENAI_API_KEY'>,
	messages: ChatMessage[],
	name: string,
	schema: Record<string, unknown>
): Promise<unknown> {
	const model = (env as OpenAiVars).OPENAI_REPORT_MODEL?.trim() || 'gpt-4.1-mini';
	let response: Response;
	try {
		response = await fetch(`${openAiBaseUrl(env)}/chat/completions`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				model,
				messages,
				temperature: 0.2,
				response_format: { type: 'json_schema', json_schema: { name, strict: true, schema } }
			})
		});
	} catch {
		throw new ReportGenerationError('OpenAI could not be reached.');
	}
	if (!response.ok) throw new ReportGenerationError(`OpenAI answered ${response.status}.`);
	const body = (await response.json().catch(() => null)) as {
		choices?: { message?: { content?: string | null; refusal?: string | null } }[];
	} | null;
	const message = body?.choices?.[0]?.message;
	if (message?.refusal) throw new ReportGenerationError('The model declined to write this report.');
	if (typeof message?.content !== 'string') throw new ReportGenerationError('OpenAI returned no report.');
	try {
		return JSON.parse(message.content);
	} catch {
		throw new ReportGenerationError('The model returned a report that is not valid JSON.');
	}
}
