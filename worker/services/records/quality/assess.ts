import { and, asc, eq, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { interview, record } from '../../../db/schema';
import { qualityFlagOf } from './flag';
import { computeQualitySignals, type QualityInput } from './signals';

/** The quality columns of a record, as its insert or update writes them. */
export type QualityColumns = Pick<typeof record.$inferInsert, 'qualityFlag' | 'qualityReasons' | 'qualitySignals'>;

export function qualityColumns(input: QualityInput): QualityColumns {
	const signals = computeQualitySignals(input);
	const { flag, reasons } = qualityFlagOf(signals);
	return { qualityFlag: flag, qualityReasons: reasons, qualitySignals: signals };
}

/**
 * The first earlier record of the project from the same respondent: the same email (any case), or
 * an interview from the same network and browser (its keyed hash). Deleted and empty records do not count.
 */
export async function findDuplicateRespondent(
	db: Database,
	scope: { workspaceId: string; projectId: string; interviewId: string; email: string | null; networkHash: string | null }
): Promise<{ recordId: string; by: 'email' | 'network' } | null> {
	const email = scope.email?.trim().toLowerCase() || null;
	if (!email && !scope.networkHash) return null;
	const sameEmail = email ? sql`lower(${record.respondentEmail}) = ${email}` : undefined;
	const sameNetwork = scope.networkHash ? eq(interview.networkHash, scope.networkHash) : undefined;
	const earlier = await db
		.select({ id: record.id, email: record.respondentEmail })
		.from(record)
		.leftJoin(interview, eq(interview.id, record.interviewId))
		.where(
			and(
				eq(record.workspaceId, scope.workspaceId),
				eq(record.projectId, scope.projectId),
				isNull(record.deletedAt),
				ne(record.status, 'empty'),
				or(isNull(record.interviewId), ne(record.interviewId, scope.interviewId)),
				or(sameEmail, sameNetwork)
			)
		)
		.orderBy(asc(record.createdAt), asc(record.id))
		.limit(1)
		.get();
	if (!earlier) return null;
	return { recordId: earlier.id, by: email && earlier.email?.toLowerCase() === email ? 'email' : 'network' };
}

/** What an interview's quality needs from its D1 row: the planned time and the respondent's network hash. */
export async function interviewPlan(db: Database, interviewId: string): Promise<{ plannedMs: number | null; networkHash: string | null }> {
	const row = await db
		.select({ startedAt: interview.startedAt, deadlineAt: interview.deadlineAt, networkHash: interview.networkHash })
		.from(interview)
		.where(eq(interview.id, interviewId))
		.get();
	return row
		? { plannedMs: row.deadlineAt.getTime() - row.startedAt.getTime(), networkHash: row.networkHash }
		: { plannedMs: null, networkHash: null };
}
