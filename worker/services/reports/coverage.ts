import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ReportContent } from '../../contracts/reports';
import type { Database } from '../../db/client';
import { questionCoverage } from '../../db/schema';
import { questionMetrics } from '../metrics';
import type { ReportContext } from './local';
import { reportTurnText } from './turn-text';

/**
 * Reports organised by what the interview itself recorded: where a record has the guide's coverage
 * (the moderator's plan, kept at completion), its answers per guide question are the turns the
 * coverage names, in guide order, with each question's status; records without coverage (uploads,
 * older interviews) keep the answers the report's generator found. A project report also counts,
 * per guide question, the interviews that answered or skipped it and the median time spent.
 */

type CoverageRow = typeof questionCoverage.$inferSelect;
type Answers = NonNullable<ReportContent['answers']>;
type Answer = Answers[number]['answers'][number];

const MAX_ANSWERS = 100;
const MAX_TEXT = 4000;

async function coverageOf(db: Database, workspaceId: string, recordIds: string[]): Promise<CoverageRow[]> {
	if (recordIds.length === 0) return [];
	return db
		.select()
		.from(questionCoverage)
		.where(and(eq(questionCoverage.workspaceId, workspaceId), inArray(questionCoverage.recordId, recordIds)))
		.orderBy(asc(questionCoverage.position));
}

/** The answers per guide question: coverage's answering turns first, then what the generator found in records without coverage. */
function organise(context: ReportContext, rows: CoverageRow[], found: Answers, single: boolean): Answers {
	const covered = new Set(rows.map((row) => row.recordId));
	// A voice answer that was never transcribed is given as such, never as its placeholder words.
	const texts = new Map(
		context.records.flatMap((source) => source.transcript.turns.map((turn) => [`${source.id}/${turn.id}`, reportTurnText(turn)]))
	);
	const questions = new Map<string, Answers[number]>();
	for (const row of rows) {
		const entry = questions.get(row.questionId) ?? { questionId: row.questionId, question: row.question, answers: [] };
		if (single) entry.status = row.status;
		for (const turnId of row.answeredTurnIds) {
			const text = texts.get(`${row.recordId}/${turnId}`);
			if (text?.trim()) entry.answers.push({ recordId: row.recordId, turnId, text: text.trim().slice(0, MAX_TEXT) });
		}
		questions.set(row.questionId, entry);
	}
	for (const group of found) {
		const others = group.answers.filter((answer: Answer) => !covered.has(answer.recordId));
		const key = group.questionId ?? `text:${group.question}`;
		const entry = questions.get(key) ?? { questionId: group.questionId, question: group.question, answers: [] };
		entry.answers.push(...others);
		questions.set(key, entry);
	}
	return [...questions.values()].map((entry) => ({ ...entry, answers: entry.answers.slice(0, MAX_ANSWERS) }));
}

export async function organiseByCoverage(
	db: Database,
	workspaceId: string,
	context: ReportContext,
	content: ReportContent
): Promise<ReportContent> {
	const recordIds = context.records.map((source) => source.id);
	const rows = await coverageOf(db, workspaceId, recordIds);
	if (rows.length === 0) return content;
	if (content.kind === 'single') return { ...content, answers: organise(context, rows, content.answers, true) };
	const coverage = await questionMetrics(db, workspaceId, inArray(questionCoverage.recordId, recordIds));
	return { ...content, answers: organise(context, rows, content.answers ?? [], false), coverage };
}
