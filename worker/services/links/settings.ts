import { and, eq, sql } from 'drizzle-orm';
import type { Link } from '../../contracts/links';
import { changesOf, runBatch, type Database, type Statement } from '../../db/client';
import { interviewer, link } from '../../db/schema';
import { ApiError, errorMentions } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import {
	constraintHit,
	insufficientTokens,
	interviewShare,
	outstandingSql,
	resizeStatements,
	shortfallFor,
	tokensPerMinute
} from '../ledger';
import { findLinkRow, linkReservationReference } from './create';
import { effectiveStatus, isMultiUse, OPEN_STATUSES, toLink, type LinkRow } from './view';
import { now as clockNow } from '../../lib/clock';

export type LinkSettings = { expiresAt?: string | null; maxUses?: number };

/**
 * What a link's reservation must hold once its cap changes: the shares of its running interviews
 * that it carries now, plus one share per use still left under the new cap (none when unlimited:
 * each interview of an unlimited link reserves its own share when it starts).
 */
function targetHolding(row: LinkRow, held: number, maxUses: number, share: number): number {
	const leftBefore = row.maxUses > 0 ? Math.max(0, row.maxUses - row.uses) * share : 0;
	const runningShares = Math.max(0, held - leftBefore);
	return runningShares + (maxUses > 0 ? (maxUses - row.uses) * share : 0);
}

function checkSettings(row: LinkRow, settings: LinkSettings, now: number): void {
	const status = effectiveStatus(row, now);
	const reopening = status === 'completed' && isMultiUse(row) && settings.maxUses !== undefined;
	if (!OPEN_STATUSES.includes(status) && !reopening) {
		throw new ApiError('conflict', `This ${row.kind} link is ${status}, so its settings cannot change.`, { status });
	}
	if (settings.expiresAt !== undefined) {
		if (row.kind === 'single' && status !== 'pending')
			throw new ApiError('conflict', 'A single-use link can change its expiry only before its interview starts.');
		if (settings.expiresAt !== null && Date.parse(settings.expiresAt) <= now) {
			throw new ApiError('unprocessable', 'Choose an expiry in the future, or none.', { expiresAt: settings.expiresAt });
		}
	}
	if (settings.maxUses !== undefined) {
		if (!isMultiUse(row)) throw new ApiError('unprocessable', 'A single-use link always has one use.');
		if (settings.maxUses > 0 && settings.maxUses < row.uses) {
			throw new ApiError(
				'unprocessable',
				`${row.uses} interviews already started on this link, so it needs at least ${row.uses} uses (or 0 for unlimited).`,
				{
					uses: row.uses
				}
			);
		}
	}
}

/**
 * Changes a link's expiry (extend, shorten, or never) and a multi-use link's max uses (raise, lower
 * to the uses already started, or 0 for unlimited). The reservation follows in the same batch: a
 * raise reserves more (402 with the shortfall when the balance cannot cover it), a cut releases.
 * The link row is updated only if nobody changed it meanwhile, and the ledger entry only if it was.
 * A used-up link whose cap is raised opens again.
 */
export async function reconfigureLink(env: Env, db: Database, principal: Principal, linkId: string, settings: LinkSettings): Promise<Link> {
	const row = await findLinkRow(db, principal, linkId);
	const now = clockNow();
	checkSettings(row, settings, now);
	const maxUses = settings.maxUses ?? row.maxUses;
	const reopen = row.status === 'completed' && maxUses !== row.maxUses && (maxUses === 0 || maxUses > row.uses);
	const reference = linkReservationReference(row.id);
	const heldRow = await db.get<{ held: number }>(sql`SELECT ${outstandingSql(row.workspaceId, reference)} AS held`);
	const share = interviewShare(row.durationMinutes, tokensPerMinute(env));
	const delta = maxUses === row.maxUses ? 0 : targetHolding(row, Number(heldRow?.held ?? 0), maxUses, share) - Number(heldRow?.held ?? 0);

	const update = db
		.update(link)
		.set({
			...(settings.expiresAt !== undefined ? { expiresAt: settings.expiresAt === null ? null : new Date(settings.expiresAt) } : {}),
			maxUses,
			reservedTokens: sql`${link.reservedTokens} + ${delta}`,
			...(reopen ? { status: 'active' as const } : {}),
			updatedAt: new Date(now)
		})
		.where(
			and(
				eq(link.id, row.id),
				eq(link.workspaceId, principal.workspaceId),
				eq(link.status, row.status),
				eq(link.uses, row.uses),
				eq(link.maxUses, row.maxUses)
			)
		);
	const statements: Statement[] = [update];
	if (delta !== 0) {
		statements.push(
			...resizeStatements(db, {
				workspaceId: row.workspaceId,
				reservation: reference,
				delta,
				actorId: principal.userId,
				note: `Max uses ${row.maxUses || 'unlimited'} → ${maxUses || 'unlimited'}`
			})
		);
	}
	if (reopen && row.kind === 'private') {
		statements.push(
			db
				.update(interviewer)
				.set({ openPrivateLinks: sql`${interviewer.openPrivateLinks} + 1` })
				.where(eq(interviewer.id, row.interviewerId))
		);
	}
	try {
		const [result] = await runBatch(db, statements);
		if (changesOf(result) === 0) throw new ApiError('conflict', 'This link changed while you edited it. Reload and try again.');
	} catch (error) {
		if (constraintHit(error) === 'available') throw insufficientTokens(await shortfallFor(db, row.workspaceId, delta));
		if (errorMentions(error, 'interviewer_open_private_links_cap')) {
			throw new ApiError('conflict', 'An interviewer has at most 50 open private links; close one before opening this one again.');
		}
		throw error;
	}
	return toLink(await findLinkRow(db, principal, linkId), env.PUBLIC_BASE_URL);
}
