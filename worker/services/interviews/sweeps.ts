import { and, asc, eq, gt, lt, or } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { idempotencyKey, interview, link } from '../../db/schema';
import { logError } from '../../lib/log';
import { interviewObjectName } from './admission';
import { voidInterview } from './completion';
import { now as clockNow } from '../../lib/clock';

/** An interview still active this long after its deadline lost its alarm; the sweep ends it. */
const OVERDUE_AFTER_MS = 10 * 60_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const PAGE_SIZE = 50;
/** Enough for one cron run; what is left waits for the next run, in the same order. */
const MAX_PAGES = 40;

type Overdue = { id: string; deadlineAt: Date };

/** Overdue interviews after `after` in (deadline, id) order: a row that cannot be ended never hides the ones behind it. */
async function overduePage(db: Database, cutoff: Date, after: Overdue | null) {
	return db
		.select({ interview, kind: link.kind, maxUses: link.maxUses })
		.from(interview)
		.innerJoin(link, eq(link.id, interview.linkId))
		.where(
			and(
				eq(interview.status, 'active'),
				lt(interview.deadlineAt, cutoff),
				after
					? or(gt(interview.deadlineAt, after.deadlineAt), and(eq(interview.deadlineAt, after.deadlineAt), gt(interview.id, after.id)))
					: undefined
			)
		)
		.orderBy(asc(interview.deadlineAt), asc(interview.id))
		.limit(PAGE_SIZE);
}

/**
 * Ends every interview whose deadline passed long ago, whatever state its Durable Object is in:
 * the object ends a session it holds as its alarm would have; an interview whose object never
 * started it is settled in D1 alone (nothing used, its share released). Pages through them all.
 */
export async function finalizeOverdueInterviews(env: Env, db: Database, now = clockNow()): Promise<number> {
	const cutoff = new Date(now - OVERDUE_AFTER_MS);
	let ended = 0;
	let after: Overdue | null = null;
	for (let page = 0; page < MAX_PAGES; page += 1) {
		const rows = await overduePage(db, cutoff, after);
		const outcomes = await Promise.allSettled(
			rows.map(async ({ interview: row, kind, maxUses }) => {
				const stub = env.INTERVIEW.get(env.INTERVIEW.idFromName(interviewObjectName(row, kind)));
				if ((await stub.endOverdue()) === 'no_session') await voidInterview(env, db, row, { kind, maxUses });
			})
		);
		outcomes.forEach((outcome, index) => {
			if (outcome.status === 'fulfilled') ended += 1;
			else logError('interview.overdue_failed', outcome.reason, { interviewId: rows[index]!.interview.id });
		});
		if (rows.length < PAGE_SIZE) break;
		const last = rows[rows.length - 1]!.interview;
		after = { id: last.id, deadlineAt: last.deadlineAt };
	}
	return ended;
}

/** Replays are honoured for a day; older keys are forgotten. */
export async function forgetOldIdempotencyKeys(db: Database, now = clockNow()): Promise<number> {
	const removed = await db
		.delete(idempotencyKey)
		.where(lt(idempotencyKey.createdAt, new Date(now - IDEMPOTENCY_TTL_MS)))
		.returning({ key: idempotencyKey.key });
	return removed.length;
}
