import { z } from 'zod';
import type { ProviderName } from '../../ai/capabilities';
import { openAiClient } from '../../ai/openai-rest';
import { logError } from '../../lib/log';
import { PLACEHOLDER } from './placeholders';

/**
 * The name pass: the provider's language model lists the people named in the transcript, and each
 * name is replaced with `[name]` wherever it is said. Only where a model is at hand (OpenAI, Workers
 * AI); the offline provider has none, and the record says the pass did not run. The model sees the
 * text after the pattern pass, so it never receives what the patterns already took out.
 */

export const NAMES_SCHEMA_NAME = 'person_names';
const WORKERS_AI_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
const Names = z.object({ names: z.array(z.string().max(80)).max(200) });
/** One prompt's share of the transcript, well inside both models' windows (Llama's 24,000 tokens, Cyrillic included). */
const PART_CHARS = 30_000;
/** Several hours of talk; a transcript longer than this is not name-checked rather than checked in part. */
const MAX_PARTS = 12;
const NAMES_TIMEOUT_MS = 20_000;

const INSTRUCTIONS = [
	'You find the names of people in an interview transcript, for redaction.',
	'List every first name, last name, full name, nickname or patronymic of a real person that appears in the text, exactly as written (keep the case and the inflected form, e.g. "Марии", "Ивановым").',
	'Do not list companies, products, places, brands, job titles, or the placeholders in square brackets.',
	'Answer with JSON: {"names": [...]}; an empty list when there are none.'
].join(' ');

/** What the name pass reads: the two models' bindings and keys. */
export type NamesEnv = Pick<Env, 'AI' | 'OPENAI_API_KEY'>;

export const namesAvailable = (provider: ProviderName) => provider === 'openai' || provider === 'workers-ai';

async function askOpenAi(env: NamesEnv, text: string): Promise<string[]> {
	const [client, { zodResponseFormat }] = await Promise.all([openAiClient(env), import('openai/helpers/zod')]);
	const model = (env as { OPENAI_REPORT_MODEL?: string }).OPENAI_REPORT_MODEL?.trim() || 'gpt-4.1-mini';
	const completion = await client.chat.completions.parse(
		{
			model,
			temperature: 0,
			messages: [
				{ role: 'system', content: INSTRUCTIONS },
				{ role: 'user', content: text }
			],
			response_format: zodResponseFormat(Names, NAMES_SCHEMA_NAME)
		},
		// Completion waits on this pass: a provider that does not answer soon costs the names pass, not the interview.
		{ timeout: NAMES_TIMEOUT_MS, maxRetries: 1 }
	);
	return completion.choices[0]?.message.parsed?.names ?? [];
}

async function askWorkersAi(env: NamesEnv, text: string): Promise<string[]> {
	const run = env.AI.run.bind(env.AI) as (model: string, input: unknown) => Promise<unknown>;
	const answer = await run(WORKERS_AI_MODEL, {
		messages: [
			{ role: 'system', content: INSTRUCTIONS },
			{ role: 'user', content: text }
		],
		max_tokens: 1_024,
		response_format: {
			type: 'json_schema',
			json_schema: { type: 'object', properties: { names: { type: 'array', items: { type: 'string' } } }, required: ['names'] }
		}
	});
	let raw = (answer as { response?: unknown } | null)?.response;
	if (typeof raw === 'string') raw = JSON.parse(raw);
	return Names.parse(raw).names;
}

/** The names the model found in `texts`, or null when the pass could not run (no model, or it failed). */
/** The transcript's lines in parts of at most PART_CHARS, split between lines (a line longer than that is cut). */
function parts(texts: string[]): string[] {
	const out: string[] = [];
	let current = '';
	for (const line of texts.flatMap((text) => text.match(new RegExp(`[^]{1,${PART_CHARS}}`, 'g')) ?? [])) {
		if (current && current.length + line.length + 1 > PART_CHARS) {
			out.push(current);
			current = '';
		}
		current = current ? `${current}\n${line}` : line;
	}
	if (current.trim()) out.push(current);
	return out;
}

/** The names the model found in `texts`, or null when the pass could not run whole (no model, too long, or a call failed). */
export async function findNames(env: NamesEnv, provider: ProviderName, texts: string[]): Promise<string[] | null> {
	if (!namesAvailable(provider)) return null;
	const pieces = parts(texts);
	if (pieces.length > MAX_PARTS) return null;
	const names: string[] = [];
	try {
		for (const piece of pieces) names.push(...(provider === 'openai' ? await askOpenAi(env, piece) : await askWorkersAi(env, piece)));
		return names;
	} catch (error) {
		logError('privacy.names_failed', error, { provider });
		return null;
	}
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces each name (a whole word or words, any case) with `[name]`; the longest names first, so a full name goes as one. */
export function replaceNames(text: string, names: string[]): string {
	const usable = [...new Set(names.map((name) => name.trim()).filter((name) => name.length >= 2 && !name.includes('[')))].sort(
		(a, b) => b.length - a.length
	);
	if (usable.length === 0) return text;
	const pattern = new RegExp(`(?<![\\p{L}\\d])(?:${usable.map(escape).join('|')})(?![\\p{L}\\d])`, 'giu');
	return text.replace(pattern, PLACEHOLDER.name);
}
