import type { z } from 'zod';
import { ProjectReportContent, SingleReportContent, type Quote } from '../../../contracts/reports';
import { ReportGenerationError } from '../errors';
import { jsonSchemaOf, LlmProjectReport, LlmSingleReport } from './schema';
import { openAiStructured, type ChatMessage } from './openai';
import type { ReportContext } from '../local';
import { clockTime, speakerOf, timedTurns } from '../../records';

/** Reports written by the provider's LLM: prompt, structured output, validation, and quotes re-anchored to real turns. */

export const WORKERS_AI_REPORT_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
const PROMPT_CHARS = { openai: 200_000, 'workers-ai': 60_000 } as const;

type LlmProvider = keyof typeof PROMPT_CHARS;

function transcriptsBlock(context: ReportContext, maxChars: number): string {
	const parts: string[] = [];
	let used = 0;
	for (const source of context.records) {
		const lines = [`## Record ${source.id} — ${source.title}`];
		for (const turn of timedTurns(source.transcript)) {
			if (!turn.text.trim()) continue;
			lines.push(`[${turn.id} @ ${clockTime(turn.offsetMs)}] ${speakerOf(turn)}: ${turn.text.trim()}`);
		}
		const block = lines.join('\n');
		if (used + block.length > maxChars) {
			parts.push(block.slice(0, Math.max(0, maxChars - used)));
			break;
		}
		parts.push(block);
		used += block.length;
	}
	return parts.join('\n\n');
}

function guideBlock(context: ReportContext): string {
	return context.guide.sections.flatMap((section) => section.questions.map((question) => `- (${question.id}) ${question.text}`)).join('\n');
}

export function buildMessages(kind: 'single' | 'project', context: ReportContext, provider: LlmProvider): ChatMessage[] {
	const task =
		kind === 'single'
			? 'Write a report on this one interview: a summary, findings per research goal, the answers to each guide question (quote or paraphrase the respondent, citing recordId and turnId), notable verbatim quotes, and the overall sentiment.'
			: 'Write a report across these interviews: themes (with how many records support each, and verbatim quotes), findings per research goal, contradictions between respondents, outliers, and suggested follow-up questions.';
	const system = [
		'You are a careful user-research analyst. Use only what the transcripts say; never invent quotes.',
		'Every quote must be verbatim respondent text and cite the recordId and the turnId shown in square brackets.',
		'Answer in the language of the transcripts. Return only JSON that matches the schema.'
	].join(' ');
	const user = [
		task,
		`# Research goals\n${context.researchGoals || '(none given)'}`,
		`# Interview guide\n${guideBlock(context) || '(none given)'}`,
		`# Transcripts\n${transcriptsBlock(context, PROMPT_CHARS[provider])}`
	].join('\n\n');
	return [
		{ role: 'system', content: system },
		{ role: 'user', content: user }
	];
}

/** Keeps only citations of turns that exist, and takes their times from the transcript. */
function anchor(context: ReportContext) {
	const turns = new Map<string, { atMs: number; respondent: boolean }>();
	for (const source of context.records)
		for (const turn of timedTurns(source.transcript))
			turns.set(`${source.id}/${turn.id}`, { atMs: turn.offsetMs, respondent: turn.role === 'respondent' });
	return {
		quotes: (quotes: { recordId: string; turnId: string; text: string }[]): Quote[] =>
			quotes.flatMap((quote) => {
				const found = turns.get(`${quote.recordId}/${quote.turnId}`);
				return found ? [{ recordId: quote.recordId, turnId: quote.turnId, text: quote.text, atMs: found.atMs }] : [];
			}),
		exists: (recordId: string, turnId: string) => turns.has(`${recordId}/${turnId}`)
	};
}

async function askWorkersAi<T extends z.ZodType>(env: Env, messages: ChatMessage[], schema: T): Promise<z.infer<T>> {
	const run = env.AI.run.bind(env.AI) as (model: string, input: unknown) => Promise<unknown>;
	let answer: unknown;
	try {
		answer = await run(WORKERS_AI_REPORT_MODEL, {
			messages,
			max_tokens: 4096,
			response_format: { type: 'json_schema', json_schema: jsonSchemaOf(schema) }
		});
	} catch {
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

async function askModel<T extends z.ZodType>(
	env: Env,
	provider: LlmProvider,
	messages: ChatMessage[],
	name: string,
	schema: T
): Promise<z.infer<T>> {
	return provider === 'openai' ? openAiStructured(env, messages, name, schema) : askWorkersAi(env, messages, schema);
}

export async function llmSingleReport(env: Env, provider: LlmProvider, context: ReportContext): Promise<SingleReportContent> {
	const output = await askModel(env, provider, buildMessages('single', context, provider), 'single_report', LlmSingleReport);
	const refs = anchor(context);
	const content = {
		kind: 'single' as const,
		summary: output.summary,
		findings: output.findings,
		answers: output.answers.map((group) => ({
			...group,
			answers: group.answers.filter((answer) => refs.exists(answer.recordId, answer.turnId))
		})),
		quotes: refs.quotes(output.quotes),
		sentiment: output.sentiment
	};
	const checked = SingleReportContent.safeParse(content);
	if (!checked.success) throw new ReportGenerationError('The model returned a report that does not match the expected structure.');
	return checked.data;
}

export async function llmProjectReport(env: Env, provider: LlmProvider, context: ReportContext): Promise<ProjectReportContent> {
	const output = await askModel(env, provider, buildMessages('project', context, provider), 'project_report', LlmProjectReport);
	const refs = anchor(context);
	const content = {
		kind: 'project' as const,
		summary: output.summary,
		themes: output.themes.map((theme) => ({
			...theme,
			recordCount: Math.min(theme.recordCount, context.records.length),
			quotes: refs.quotes(theme.quotes)
		})),
		findings: output.findings,
		contradictions: output.contradictions,
		outliers: output.outliers,
		followUpQuestions: output.followUpQuestions
	};
	const checked = ProjectReportContent.safeParse(content);
	if (!checked.success) throw new ReportGenerationError('The model returned a report that does not match the expected structure.');
	return checked.data;
}
