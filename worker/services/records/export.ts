import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { interview, record } from '../../db/schema';
import { answerText, recordedAnswers } from '../screeners';
import type { Principal } from '../../lib/principal';
import { findRecordRow, listRecords, readTranscript } from './records';
import { assertMayReadOriginals, readOriginalTranscript } from './originals';
import { projectPrivacy, redactUnprotected } from '../privacy';
import { zip, type ZipEntry } from './zip';
import { renderMarkdown } from './transcripts/formats';

/** A project's records as CSV (one row each) or as a ZIP of Markdown transcripts. */

const CSV_COLUMNS = [
	'id',
	'title',
	'respondentEmail',
	'source',
	'link',
	'linkKind',
	'status',
	'createdAt',
	'durationSeconds',
	'wordCount',
	'turnCount',
	'tags',
	'quality',
	'qualityReasons'
] as const;

/** Quotes a CSV field, and defuses spreadsheet formulas. */
function csvField(value: string): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Each record's screener answers, and one column per screener question (in the order they were
 * first answered), headed by the question's English words.
 */
async function screenerColumns(db: Database, principal: Principal, projectId: string) {
	const rows = await db
		.select({ recordId: record.id, answers: interview.screenerAnswers })
		.from(record)
		.innerJoin(interview, and(eq(interview.id, record.interviewId), eq(interview.workspaceId, record.workspaceId)))
		.where(and(eq(record.workspaceId, principal.workspaceId), eq(record.projectId, projectId), isNull(record.deletedAt)));
	const questions = new Map<string, string>();
	const byRecord = new Map<string, Map<string, string>>();
	for (const row of rows) {
		const answers = recordedAnswers(row.answers);
		for (const answer of answers) if (!questions.has(answer.questionId)) questions.set(answer.questionId, answer.question.en);
		byRecord.set(row.recordId, new Map(answers.map((answer) => [answer.questionId, answerText(answer)])));
	}
	return { questions, byRecord };
}

export async function exportCsv(db: Database, principal: Principal, projectId: string, options: { original: boolean }): Promise<string> {
	// The CSV carries no transcript text; asking it for originals is still an owner's or admin's request.
	if (options.original) assertMayReadOriginals(principal);
	const rows = await listRecords(db, principal, projectId, {});
	const screener = await screenerColumns(db, principal, projectId);
	const screenerHeaders = [...screener.questions.values()].map((question) => `Screener: ${question}`);
	const lines = [[...CSV_COLUMNS, ...screenerHeaders.map(csvField)].join(',')];
	for (const row of rows) {
		const answers = screener.byRecord.get(row.id);
		const values = [
			row.id,
			row.title,
			row.respondentEmail ?? '',
			row.source,
			row.linkName ?? '',
			row.linkKind ?? '',
			row.status,
			row.createdAt,
			String(Math.round(row.durationMs / 1000)),
			String(row.wordCount),
			String(row.turnCount),
			row.tags.join('; '),
			row.quality.flag ?? 'not_assessed',
			row.quality.reasons.map((reason) => reason.code).join('; '),
			...[...screener.questions.keys()].map((questionId) => answers?.get(questionId) ?? '')
		];
		lines.push(values.map(csvField).join(','));
	}
	return `${lines.join('\r\n')}\r\n`;
}

const fileSafe = (text: string) =>
	text
		.replace(/[^\w@.-]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60) || 'record';

/**
 * The transcripts as stored (redacted where the project redacts). With `original`, asked for by an
 * owner or admin, each record whose original was kept is exported as it was said instead.
 */
export async function exportZip(
	env: Pick<Env, 'FILES' | 'BETTER_AUTH_SECRET'>,
	db: Database,
	principal: Principal,
	projectId: string,
	options: { original: boolean }
): Promise<Uint8Array<ArrayBuffer>> {
	if (options.original) assertMayReadOriginals(principal);
	const rows = await listRecords(db, principal, projectId, {});
	const privacy = await projectPrivacy(db, projectId);
	const encoder = new TextEncoder();
	const entries: ZipEntry[] = [];
	const used = new Set<string>();
	for (const summary of rows) {
		const row = await findRecordRow(db, principal, summary.id);
		const original = options.original ? await readOriginalTranscript(env, row).catch(() => null) : null;
		const stored = original ? null : await readTranscript(env.FILES, row).catch(() => null);
		const transcript = original ?? (stored && redactUnprotected(stored, row, privacy));
		if (!transcript) continue;
		let name = `${summary.createdAt.slice(0, 10)}-${fileSafe(summary.title)}.md`;
		if (used.has(name)) name = name.replace(/\.md$/, `-${summary.id.slice(0, 8)}.md`);
		used.add(name);
		entries.push({ name, data: encoder.encode(renderMarkdown(transcript, summary.title)), modified: new Date(summary.createdAt) });
	}
	return zip(entries);
}
