import { and, eq, inArray, sql } from 'drizzle-orm';
import { runBatch, type Database, type Statement } from '../../db/client';
import { interview, interviewer, link, questionCoverage, record } from '../../db/schema';
import type { QuestionCoverage } from '../../contracts/protocol';
import { newId } from '../../lib/crypto';
import { interviewReservation, type InterviewRow } from './admission';
import { settlementStatements } from '../ledger';
import { tokensPerMinute, usageCharge } from '../ledger';
import { emptyInterviewStatements, isEmptyInterview } from './empty-interview';
import { findDuplicateRespondent, interviewPlan, qualityColumns, type QualityColumns } from '../records';

export type CompletionTurn = { id?: string; role: 'interviewer' | 'respondent'; text: string; transcribed?: boolean };

export type Completion = {
	interviewId: string;
	workspaceId: string;
	projectId: string;
	interviewerId: string;
	linkId: string;
	linkKind: 'single' | 'public' | 'private';
	linkName: string;
	email: string | null;
	status: 'completed' | 'abandoned';
	endReason: string;
	endedAt: number;
	usedMs: number;
	reservation: string;
	shareTokens: number;
	transcriptKey: string;
	audioKey: string | null;
	turns: CompletionTurn[];
	/** The AI provider's usage counters for the interview (tokens, audio seconds), when it reports any. */
	usage?: Record<string, number> | null;
	/** Which redaction passes ran over the stored transcript, and where its sealed original is. */
	redaction?: { passes: string[]; originalKey: string | null };
	/** Where each guide question stood at the end (the moderation plan's coverage). */
	coverage?: QuestionCoverage[];
	/** The language the interviewer spoke (the respondent page's for Auto), for the quality check. */
	language?: string | null;
};

const countWords = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

type Ending = Pick<
	Completion,
	| 'interviewId'
	| 'workspaceId'
	| 'interviewerId'
	| 'linkId'
	| 'linkKind'
	| 'status'
	| 'endReason'
	| 'endedAt'
	| 'usedMs'
	| 'reservation'
	| 'shareTokens'
	| 'usage'
>;

/**
 * What every end of an interview changes in D1, safe to run again: the interview row moves only
 * from `active`; `countUse` moves the link's counters only if it did; the ledger settlement is
 * unique per interview; closing an exhausted multi-use link is guarded. `extra` runs between the
 * link counters and the settlement (the record of a completed interview).
 */
function endStatements(env: Env, db: Database, input: Ending, options: { countUse: boolean; extra: Statement[] }): Statement[] {
	const price = tokensPerMinute(env);
	const charged = Math.min(usageCharge(input.usedMs, price), input.shareTokens);
	const endedAt = new Date(input.endedAt);
	const single = input.linkKind === 'single';
	const open = inArray(link.status, ['pending', 'active']);
	return [
		db
			.update(interview)
			.set({
				status: input.status,
				endedAt,
				endReason: input.endReason,
				usedMs: input.usedMs,
				chargedTokens: charged,
				...(input.usage ? { usage: input.usage } : {})
			})
			.where(and(eq(interview.id, input.interviewId), eq(interview.status, 'active'))),
		db
			.update(link)
			.set({
				completedUses: sql`${link.completedUses} + ${options.countUse ? 1 : 0}`,
				updatedAt: endedAt,
				// A single link is done when its interview is, unless it was deleted meanwhile (it stays deleted).
				...(single
					? { status: sql<'completed'>`CASE WHEN ${link.status} IN ('pending', 'active') THEN 'completed' ELSE ${link.status} END` }
					: {})
			})
			.where(and(eq(link.id, input.linkId), sql`changes() = 1`)),
		...options.extra,
		...settlementStatements(db, {
			workspaceId: input.workspaceId,
			reservation: input.reservation,
			settlement: input.interviewId,
			usedMs: input.usedMs,
			tokensPerMinute: price,
			cap: input.shareTokens,
			note: `Interview ${input.status === 'abandoned' ? 'abandoned' : 'completed'}`
		}).statements,
		db
			.update(link)
			.set({ status: 'completed', updatedAt: endedAt })
			.where(
				and(
					eq(link.id, input.linkId),
					open,
					sql`${link.kind} <> 'single' AND ${link.maxUses} > 0 AND ${link.uses} >= ${link.maxUses}`,
					sql`NOT EXISTS (SELECT 1 FROM interview WHERE link_id = ${input.linkId} AND status = 'active')`
				)
			),
		db
			.update(interviewer)
			.set({ openPrivateLinks: sql`${interviewer.openPrivateLinks} - 1` })
			.where(and(eq(interviewer.id, input.interviewerId), sql`changes() = 1`, sql`${input.linkKind} = 'private'`))
	];
}

/** What a record of an interview shows: a transcript when any answer has words, audio only, or nothing answered. */
function recordStatus(turns: CompletionTurn[]): 'ready' | 'untranscribed' | 'empty' {
	if (isEmptyInterview(turns)) return 'empty';
	const answeredInWords = turns.some((turn) => turn.role === 'respondent' && turn.transcribed !== false && turn.text.trim());
	return answeredInWords ? 'ready' : 'untranscribed';
}

/**
 * Completion: the end statements, with the record of the interview (unique per interview), in one
 * batch. An interview with no respondent turn ends as `empty` (see empty-interview.ts): its record
 * is kept but marked so, and nothing is charged.
 */
export async function completeInterview(env: Env, db: Database, input: Completion): Promise<{ empty: boolean }> {
	const status = recordStatus(input.turns);
	const words = input.turns.filter((turn) => turn.transcribed !== false).reduce((sum, turn) => sum + countWords(turn.text), 0);
	const endedAt = new Date(input.endedAt);
	const quality = status === 'empty' ? {} : await completionQuality(db, input);
	const newRecord = db
		.insert(record)
		.values({
			id: newId(),
			workspaceId: input.workspaceId,
			projectId: input.projectId,
			interviewId: input.interviewId,
			linkId: input.linkId,
			source: 'interview',
			title: input.email ?? (input.linkName || 'Anonymous respondent'),
			respondentEmail: input.email,
			status,
			durationMs: input.usedMs,
			wordCount: words,
			turnCount: input.turns.length,
			transcriptKey: input.transcriptKey,
			audioKey: input.audioKey,
			redaction: input.redaction ?? null,
			createdAt: endedAt,
			...quality
		})
		.onConflictDoNothing();
	if (status === 'empty') {
		await runBatch(db, emptyInterviewStatements(env, db, input, [newRecord]));
		return { empty: true };
	}
	const coverage = input.coverage?.length ? [coverageStatement(db, input.interviewId, input.coverage)] : [];
	await runBatch(db, endStatements(env, db, input, { countUse: true, extra: [newRecord, ...coverage] }));
	return { empty: false };
}

/**
 * The quality flag of the interview's record, computed before the completion batch: the speed-through
 * check applies to interviews the interviewer closed with the guide covered (one the respondent left
 * or abandoned is short because it was cut short, which its answers show).
 */
async function completionQuality(db: Database, input: Completion): Promise<QualityColumns> {
	const plan = await interviewPlan(db, input.interviewId);
	const duplicate = await findDuplicateRespondent(db, {
		workspaceId: input.workspaceId,
		projectId: input.projectId,
		interviewId: input.interviewId,
		email: input.email,
		networkHash: plan.networkHash
	});
	return qualityColumns({
		turns: input.turns,
		answeredTurnIds: input.coverage?.filter((entry) => entry.status === 'answered').map((entry) => entry.answeredTurnIds),
		plannedMs: input.endReason === 'completed' ? plan.plannedMs : null,
		usedMs: input.usedMs,
		language: input.language,
		duplicate
	});
}

/**
 * The coverage rows of the record just written (or written by an earlier run of this completion):
 * the record is found by its interview, so a replay adds nothing and never points at a missing record.
 */
function coverageStatement(db: Database, interviewId: string, coverage: QuestionCoverage[]): Statement {
	const rows = JSON.stringify(coverage.map((entry, position) => ({ ...entry, position })));
	return db
		.insert(questionCoverage)
		.select(
			sql`SELECT r.id, r.workspace_id, r.project_id, j.value ->> '$.questionId', j.value ->> '$.position', j.value ->> '$.question',
				j.value ->> '$.section', j.value ->> '$.required', j.value ->> '$.status', j.value ->> '$.askedTurnId',
				json(j.value -> '$.answeredTurnIds'), j.value ->> '$.seconds'
			FROM record r, json_each(${rows}) j WHERE r.interview_id = ${interviewId}`
		)
		.onConflictDoNothing();
}

/**
 * An interview D1 admitted but whose Durable Object never started it (the respondent's socket
 * went away between admission and the object): it ends as abandoned with nothing used, no record,
 * and its whole share released.
 */
export async function voidInterview(
	env: Env,
	db: Database,
	row: InterviewRow,
	link: { kind: 'single' | 'public' | 'private'; maxUses: number }
): Promise<void> {
	const ending: Ending = {
		interviewId: row.id,
		workspaceId: row.workspaceId,
		interviewerId: row.interviewerId,
		linkId: row.linkId,
		linkKind: link.kind,
		status: 'abandoned',
		endReason: 'not_started',
		endedAt: row.startedAt.getTime(),
		usedMs: 0,
		reservation: interviewReservation({ ...link, id: row.linkId }, row.id),
		shareTokens: row.reservedTokens,
		usage: null
	};
	await runBatch(db, endStatements(env, db, ending, { countUse: false, extra: [] }));
}
