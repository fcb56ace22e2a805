import type { z } from 'zod';
import { ProjectReportContent, SingleReportContent, type Quote } from '../../../contracts/reports';
import { ReportGenerationError } from '../errors';
import { LlmProjectReport, LlmSingleReport } from './schema';
import { openAiStructured } from './openai';
import { workersAiReport } from './map-reduce';
import { messages, TASKS, type ReportKind } from './prompts';
import type { ReportContext } from '../local';
import { clockTime, speakerOf, timedTurns } from '../../records';
import { isUntranscribed, reportTurnText } from '../turn-text';

/**
 * Reports written by the provider's LLM: prompt, structured output, validation, and quotes
 * re-anchored to real turns. OpenAI's models take the transcripts in one prompt (cut at 200,000
 * characters); Workers AI's smaller window gets them in parts (map-reduce.ts).
 */

const OPENAI_PROMPT_CHARS = 200_000;

type LlmProvider = 'openai' | 'workers-ai';

function transcriptsBlock(context: ReportContext, maxChars: number): string {
	const parts: string[] = [];
	let used = 0;
	for (const source of context.records) {
		const lines = [`## Record ${source.id} — ${source.title}`];
		for (const turn of timedTurns(source.transcript)) {
			const text = reportTurnText(turn);
			if (text) lines.push(`[${turn.id} @ ${clockTime(turn.offsetMs)}] ${speakerOf(turn)}: ${text}`);
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

/**
 * Keeps only citations of turns that exist, and takes their times from the transcript. A quote
 * must cite words: an untranscribed voice answer may be cited as an answer, never quoted.
 */
function anchor(context: ReportContext) {
	const turns = new Map<string, { atMs: number; quotable: boolean }>();
	for (const source of context.records)
		for (const turn of timedTurns(source.transcript))
			turns.set(`${source.id}/${turn.id}`, { atMs: turn.offsetMs, quotable: !isUntranscribed(turn) });
	return {
		quotes: (quotes: { recordId: string; turnId: string; text: string }[]): Quote[] =>
			quotes.flatMap((quote) => {
				const found = turns.get(`${quote.recordId}/${quote.turnId}`);
				return found?.quotable ? [{ recordId: quote.recordId, turnId: quote.turnId, text: quote.text, atMs: found.atMs }] : [];
			}),
		exists: (recordId: string, turnId: string) => turns.has(`${recordId}/${turnId}`)
	};
}

async function askModel<T extends z.ZodType>(
	env: Env,
	provider: LlmProvider,
	kind: ReportKind,
	context: ReportContext,
	name: string,
	schema: T
): Promise<z.infer<T>> {
	if (provider === 'workers-ai') return workersAiReport(env, kind, context, schema);
	const prompt = messages(TASKS[kind], context, `# Transcripts\n${transcriptsBlock(context, OPENAI_PROMPT_CHARS)}`);
	return openAiStructured(env, prompt, name, schema);
}

export async function llmSingleReport(env: Env, provider: LlmProvider, context: ReportContext): Promise<SingleReportContent> {
	const output = await askModel(env, provider, 'single', context, 'single_report', LlmSingleReport);
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
	const output = await askModel(env, provider, 'project', context, 'project_report', LlmProjectReport);
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
