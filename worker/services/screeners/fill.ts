import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

/**
 * A quota's fill: the interviews admitted in its segment, but an empty one (nobody answered), which
 * gives its slot back as it gives its link's use back. The admission batch checks the same count.
 */
const FILLED_SQL = `SELECT COUNT(*) FROM interview_quota iq JOIN interview i ON i.id = iq.interview_id
	WHERE iq.quota_id = q.id AND i.status != 'empty'`;

/**
 * The conditions the admitting link update adds for the quotas a join falls into (their ids as a
 * JSON array in the parameter named): none of them is full. It runs in the admission batch, so
 * parallel joins see each other's slots and a quota is never overfilled.
 */
export const quotasOpenSql = (param: string) =>
	`NOT EXISTS (SELECT 1 FROM quota q WHERE q.id IN (SELECT value FROM json_each(${param})) AND (${FILLED_SQL}) >= q.cap)`;

/** Records which quotas the interview counts towards, in its admission batch (only if it was inserted). */
export const countTowardsQuotasSql = (interviewParam: string, quotasParam: string) =>
	`INSERT INTO interview_quota (interview_id, quota_id)
	 SELECT ${interviewParam}, q.id FROM quota q WHERE q.id IN (SELECT value FROM json_each(${quotasParam}))
	   AND EXISTS (SELECT 1 FROM interview WHERE id = ${interviewParam})`;

export async function quotaFills(db: Database, quotaIds: readonly string[]): Promise<Map<string, number>> {
	if (quotaIds.length === 0) return new Map();
	const rows = await db.all<{ id: string; filled: number }>(
		sql`SELECT q.id AS id, (${sql.raw(FILLED_SQL)}) AS filled FROM quota q WHERE q.id IN (SELECT value FROM json_each(${JSON.stringify(quotaIds)}))`
	);
	return new Map(rows.map((row) => [row.id, Number(row.filled)]));
}
