import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Statement } from '../../db/client';
import { interview, ledgerEntry, link } from '../../db/schema';
import { resizeStatements, settlementStatements } from '../ledger';
import { tokensPerMinute } from '../ledger';

/**
 * An interview nobody answered: the respondent started and left, or spoke only while muted. It is
 * not an interview the researcher asked for, so it costs nothing and uses nothing up.
 */
export const isEmptyInterview = (turns: readonly { role: 'interviewer' | 'respondent' }[]) =>
	!turns.some((turn) => turn.role === 'respondent');

export type EmptyEnding = {
	interviewId: string;
	workspaceId: string;
	linkId: string;
	endedAt: number;
	usedMs: number;
	reservation: string;
	shareTokens: number;
	usage?: Record<string, number> | null;
};

/**
 * What an empty interview changes in D1, safe to run again. The interview ends as `empty`; its share
 * is settled at 0 (a charge of 0 marks the settlement done, the whole share is released); and, in
 * the run that wrote that settlement only, the link gets its use back: a single-use link is pending
 * again (its respondent can start over) and a link's reservation takes the share back, so the next
 * interview is covered as before. A link cancelled, expired or deleted meanwhile keeps its status
 * and the share stays released.
 */
export function emptyInterviewStatements(env: Env, db: Database, input: EmptyEnding, extra: Statement[]): Statement[] {
	const endedAt = new Date(input.endedAt);
	const settlement = settlementStatements(db, {
		workspaceId: input.workspaceId,
		reservation: input.reservation,
		settlement: input.interviewId,
		usedMs: 0,
		tokensPerMinute: tokensPerMinute(env),
		cap: input.shareTokens,
		note: 'Interview empty: nothing said, nothing charged'
	});
	const settledNow = sql`EXISTS (SELECT 1 FROM ${ledgerEntry} WHERE ${ledgerEntry.id} = ${settlement.entryIds[0]!})`;
	const linkHoldsShares = input.reservation.startsWith('link:') && input.shareTokens > 0;
	return [
		db
			.update(interview)
			.set({
				status: 'empty',
				endedAt,
				endReason: 'empty',
				usedMs: input.usedMs,
				chargedTokens: 0,
				...(input.usage ? { usage: input.usage } : {})
			})
			.where(and(eq(interview.id, input.interviewId), eq(interview.status, 'active'))),
		...extra,
		...settlement.statements,
		db
			.update(link)
			.set({
				uses: sql`${link.uses} - 1`,
				status: sql<'pending'>`CASE WHEN ${link.kind} = 'single' THEN 'pending' ELSE ${link.status} END`,
				updatedAt: endedAt
			})
			.where(and(eq(link.id, input.linkId), inArray(link.status, ['pending', 'active']), sql`${link.uses} > 0`, settledNow)),
		...(linkHoldsShares
			? resizeStatements(db, {
					workspaceId: input.workspaceId,
					reservation: input.reservation,
					delta: input.shareTokens,
					note: 'Empty interview: its share goes back to the link',
					now: input.endedAt
				})
			: [])
	];
}
