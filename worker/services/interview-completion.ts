import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { interview, interviewer, link, record } from '../db/schema';
import { newId } from '../lib/crypto';
import { settlementStatements } from './ledger';
import { tokensPerMinute, usageCharge } from './ledger-pricing';

export type CompletionTurn = { role: 'interviewer' | 'respondent'; text: string; transcribed?: boolean };

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
};

const countWords = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

/**
 * Everything completion changes in D1, in one batch, safe to run again: the interview row moves
 * only from `active`; the link counters move only if it did; the record is unique per interview;
 * the ledger settlement is unique per interview; closing an exhausted multi-use link is guarded.
 */
export async function completeInterview(env: Env, db: Database, input: Completion): Promise<void> {
	const price = tokensPerMinute(env);
	const charged = Math.min(usageCharge(input.usedMs, price), input.shareTokens);
	const endedAt = new Date(input.endedAt);
	const untranscribed = input.turns.some((turn) => turn.role === 'respondent' && turn.transcribed === false);
	const words = input.turns.filter((turn) => turn.transcribed !== false).reduce((sum, turn) => sum + countWords(turn.text), 0);
	const single = input.linkKind === 'single';
	const open = inArray(link.status, ['pending', 'active']);

	const statements = [
		db
			.update(interview)
			.set({ status: input.status, endedAt, endReason: input.endReason, usedMs: input.usedMs, chargedTokens: charged, ...(input.usage ? { usage: input.usage } : {}) })
			.where(and(eq(interview.id, input.interviewId), eq(interview.status, 'active'))),
		db
			.update(link)
			.set({ completedUses: sql`${link.completedUses} + 1`, updatedAt: endedAt, ...(single ? { status: 'completed' as const } : {}) })
			.where(and(eq(link.id, input.linkId), sql`changes() = 1`)),
		db
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
				status: untranscribed ? 'untranscribed' : 'ready',
				durationMs: input.usedMs,
				wordCount: words,
				turnCount: input.turns.length,
				transcriptKey: input.transcriptKey,
				audioKey: input.audioKey,
				createdAt: endedAt
			})
			.onConflictDoNothing(),
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
	await db.batch(statements as unknown as Parameters<Database['batch']>[0]);
}
