import type { Turn } from '../../contracts/protocol';
import { guideStatusText } from '../instructions';
import type { ProgressReport, QuestionView } from '../provider';
import { LLM_MODEL, type WorkersAi } from './models';
import type { ChatMessage } from './prompt';

/** What the note-taker read in the latest exchange: guide progress, and whether the interviewer's last turn closed the interview. */
export type Notes = { progress: ProgressReport[]; closing: boolean };

const STATUSES = ['asked', 'answered', 'skipped'] as const;
/** Notes are a few short entries; this bounds a model that rambles. */
const MAX_NOTE_TOKENS = 300;
/** The turns the note-taker reads: the latest reply and what led to it. */
const EXCHANGE_TURNS = 6;

const INSTRUCTIONS = [
	'You keep the notes of a live research interview for its moderator. You do not speak to anyone.',
	'You get the guide questions, each with its id and its state, and the latest turns of the conversation. Report only what these turns show:',
	'- "answered": the respondent answered a question that was asked (their words address it).',
	'- "skipped": the respondent declined a question that was asked, or the interviewer said it will be left out.',
	'- "asked": the interviewer\'s latest turn asks a guide question (in any wording or language).',
	"Set closing to true only when the interviewer's latest turn ends the interview: it thanks the respondent and says goodbye.",
	'Answer with JSON only.'
].join('\n');

/** The JSON schema Workers AI's JSON mode holds the notes to: only the guide's ids and the three states. */
export function notesSchema(questions: readonly QuestionView[]): Record<string, unknown> {
	const closing = { type: 'boolean' };
	if (questions.length === 0) return { type: 'object', properties: { closing }, required: ['closing'] };
	const entry = {
		type: 'object',
		properties: {
			question_id: { type: 'string', enum: questions.map((question) => question.id) },
			status: { type: 'string', enum: STATUSES },
			note: { type: 'string' }
		},
		required: ['question_id', 'status']
	};
	return { type: 'object', properties: { progress: { type: 'array', items: entry }, closing }, required: ['progress', 'closing'] };
}

/** The note-taker's prompt: its rules, the guide as it stands, and the latest turns that have text. */
export function notesPrompt(questions: readonly QuestionView[], history: readonly Turn[]): ChatMessage[] {
	const turns = history
		.filter((turn) => turn.final && turn.transcribed !== false && turn.text.trim())
		.slice(-EXCHANGE_TURNS)
		.map((turn) => `${turn.role === 'interviewer' ? 'Interviewer' : 'Respondent'}: ${turn.text}`);
	const guide = questions.length > 0 ? guideStatusText([...questions]) : '(No guide questions.)';
	return [
		{ role: 'system', content: INSTRUCTIONS },
		{
			role: 'user',
			content: `## Guide questions\n${guide}\n\n## Latest turns (the last one is the interviewer's latest)\n${turns.join('\n')}`
		}
	];
}

const isStatus = (value: unknown): value is ProgressReport['status'] => STATUSES.includes(value as ProgressReport['status']);

/**
 * Reads JSON mode's answer: `response` holds the object (or, from some models, its JSON text). An
 * answer that is not the schema's shape is no notes; entries about questions the guide lacks are
 * dropped. Reports come out in the order the moderator needs: answers and skips before the new asks.
 */
export function readNotes(answer: unknown, questions: readonly QuestionView[]): Notes | null {
	let body = (answer as { response?: unknown } | null)?.response;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			return null;
		}
	}
	if (!body || typeof body !== 'object') return null;
	const { progress, closing } = body as { progress?: unknown; closing?: unknown };
	if (!Array.isArray(progress) || typeof closing !== 'boolean') return null;
	const ids = new Set(questions.map((question) => question.id));
	const reports = progress.flatMap((entry): ProgressReport[] => {
		const { question_id: questionId, status, note } = (entry ?? {}) as Record<string, unknown>;
		if (typeof questionId !== 'string' || !ids.has(questionId) || !isStatus(status)) return [];
		return [{ questionId, status, note: typeof note === 'string' ? note : null }];
	});
	const rank = (report: ProgressReport) => (report.status === 'asked' ? 1 : 0);
	return { progress: reports.sort((a, b) => rank(a) - rank(b)), closing };
}

/** One note-taking call: Llama in JSON mode, not streamed (JSON mode does not stream on Workers AI). */
export async function takeNotes(ai: WorkersAi, questions: readonly QuestionView[], history: readonly Turn[]): Promise<Notes | null> {
	const answer = await ai.run(LLM_MODEL, {
		messages: notesPrompt(questions, history),
		max_tokens: MAX_NOTE_TOKENS,
		response_format: { type: 'json_schema', json_schema: notesSchema(questions) }
	});
	return readNotes(answer, questions);
}
