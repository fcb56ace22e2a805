import { and, eq, lt } from 'drizzle-orm';
import type { Database } from '../db/client';
import { idempotencyKey, interview, link } from '../db/schema';
import { interviewObjectName } from './interview-admission';

/** An interview still active this long after its deadline lost its alarm; the sweep ends it. */
const OVERDUE_AFTER_MS = 10 * 60_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;

/** Asks the Durable Object of every overdue interview to finalise it (a no-op if it already has). */
export async function finalizeOverdueInterviews(env: Env, db: Database): Promise<number> {
	const overdue = await db
		.select({ id: interview.id, linkId: interview.linkId, kind: link.kind })
		.from(interview)
		.innerJoin(link, eq(link.id, interview.linkId))
		.where(and(eq(interview.status, 'active'), lt(interview.deadlineAt, new Date(Date.now() - OVERDUE_AFTER_MS))))
		.limit(50);
	await Promise.all(overdue.map((row) => env.INTERVIEW.get(env.INTERVIEW.idFromName(interviewObjectName(row, row.kind))).finalize('deadline')));
	return overdue.length;
}

/** Replays are honoured for a day; older keys are forgotten. */
export async function forgetOldIdempotencyKeys(db: Database): Promise<number> {
	const removed = await db.delete(idempotencyKey).where(lt(idempotencyKey.createdAt, new Date(Date.now() - IDEMPOTENCY_TTL_MS))).returning({ key: idempotencyKey.key });
	return removed.length;
}
