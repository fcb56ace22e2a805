import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { interview } from '../../db/schema';

/**
 * Interviews whose record is flagged low quality (the override, else the computed flag): metrics
 * leave them out unless asked for. Written against the outer `interview` row, so any scope can use it.
 */
export const hasLowQualityRecord = sql`EXISTS (SELECT 1 FROM record lq WHERE lq.interview_id = ${interview.id} AND lq.deleted_at IS NULL
	AND coalesce(lq.quality_override, lq.quality_flag) = 'low_quality')`;

/** How many interviews of the scope the low-quality rule leaves out. */
export async function lowQualityInterviews(db: Database, workspaceId: string, scope: SQL): Promise<number> {
	const row = await db
		.select({ total: count() })
		.from(interview)
		.where(and(eq(interview.workspaceId, workspaceId), scope, hasLowQualityRecord))
		.get();
	return Number(row?.total ?? 0);
}
