import { and, count, eq, inArray, lte, sql } from 'drizzle-orm';
import type { LinkStatus } from '../../contracts/links';
import { changesOf, runBatch, type Database } from '../../db/client';
import { interview, interviewer, link } from '../../db/schema';
import { logError } from '../../lib/log';
import { batchWithLedger, releaseStatements } from '../ledger';
import { interviewShare, tokensPerMinute } from '../ledger';
import { notifyLinkExpired } from '../webhooks';
import { linkReservationReference } from './create';
import { OPEN_STATUSES, type LinkRow } from './view';
import { nowDate } from '../../lib/clock';

type ClosingStatus = Extract<LinkStatus, 'cancelled' | 'expired' | 'deleted' | 'completed'>;

async function runningInterviews(db: Database, linkId: string): Promise<number> {
	const row = await db
		.select({ running: count() })
		.from(interview)
		.where(and(eq(interview.linkId, linkId), eq(interview.status, 'active')))
		.get();
	return row?.running ?? 0;
}

/**
 * Moves an open link to a closed status exactly once, in one batch with its ledger release: the
 * status update is conditional, the private-link counter moves only if that update did
 * (`changes() = 1`), and the reservation is released except the shares of interviews still
 * running, which settle when they end. Releasing twice moves nothing.
 */
export async function closeLink(env: Env, db: Database, row: LinkRow, to: ClosingStatus, actorId: string | null): Promise<boolean> {
	const from = to === 'cancelled' ? ['pending' as const] : [...OPEN_STATUSES];
	const transition = db
		.update(link)
		.set({ status: to, updatedAt: new Date() })
		.where(and(eq(link.id, row.id), inArray(link.status, from)));
	const countDown = db
		.update(interviewer)
		.set({ openPrivateLinks: sql`${interviewer.openPrivateLinks} - 1` })
		.where(and(eq(interviewer.id, row.interviewerId), sql`changes() = 1`, sql`${row.kind} = 'private'`));
	const release = row.reservedTokens > 0 ? await linkReleaseStatements(env, db, row, actorId, to) : null;
	const [result] = release
		? (await batchWithLedger(db, release, [transition, countDown])).results
		: await runBatch(db, [transition, countDown]);
	return changesOf(result) === 1;
}

/** Releases what a link's reservation still holds, keeping the shares of its running interviews. */
async function linkReleaseStatements(env: Env, db: Database, row: LinkRow, actorId: string | null, reason: string) {
	const keep = (await runningInterviews(db, row.id)) * interviewShare(row.durationMinutes, tokensPerMinute(env));
	return releaseStatements(db, {
		workspaceId: row.workspaceId,
		reservation: linkReservationReference(row.id),
		keep,
		actorId,
		note: `Link ${reason}`
	});
}

/** Expires every open link whose date has passed; run at read time and by the cron sweep. */
export async function expireDueLinks(
	env: Env,
	db: Database,
	scope: { workspaceId?: string; interviewerId?: string } = {}
): Promise<number> {
	const due = await db
		.select()
		.from(link)
		.where(
			and(
				inArray(link.status, [...OPEN_STATUSES]),
				lte(link.expiresAt, nowDate()),
				scope.workspaceId ? eq(link.workspaceId, scope.workspaceId) : undefined,
				scope.interviewerId ? eq(link.interviewerId, scope.interviewerId) : undefined
			)
		)
		.limit(200);
	let expired = 0;
	for (const row of due) {
		if (row.kind === 'single' && row.status === 'active') continue;
		try {
			if (!(await closeLink(env, db, row, 'expired', null))) continue;
			expired += 1;
			await notifyLinkExpired(env, row);
		} catch (error) {
			logError('link.expire_failed', error, { linkId: row.id });
		}
	}
	return expired;
}
