import { assertEmbedOrigins } from './embed';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { CreateLinks, Link, LinkTab, Reservation } from '../../contracts/links';
import type { PageQuery } from '../../contracts/pagination';
import { LINK_LIMITS as LIMITS } from '../../contracts/limits';
import { runBatch, type Database } from '../../db/client';
import { interviewer, link } from '../../db/schema';
import { newId, randomToken } from '../../lib/crypto';
import { afterCursor, pageOf } from '../../lib/cursor';
import { ApiError, errorMentions } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { assertSupported, findInterviewerRow, type InterviewerRow } from '../interviewers';
import { batchWithReservation, insufficientTokens, reservationStatements } from '../ledger';
import { interviewShare, linkReservation, tokensPerMinute } from '../ledger';
import { getBalance } from '../ledger';
import { rememberLinkToken } from './tokens';
import { effectiveStatus, tabOf, toLink, type LinkRow } from './view';
import { assertContextComplete, findProjectRow } from '../projects';
import { now as clockNow } from '../../lib/clock';

const DAY_MS = 24 * 60 * 60 * 1000;
export const linkReservationReference = (linkId: string) => `link:${linkId}`;

/**
 * The name an unnamed link keeps for life: stored once at creation, so regenerating the token
 * (or anything else) never renames it, and its records carry the same name as its row.
 */
const generatedLinkName = (token: string) => `Link ${token.slice(0, 6)}`;

/** The rows a create request asks for, before anything is written. */
function planRows(principal: Principal, owner: InterviewerRow, input: CreateLinks, now: Date): LinkRow[] {
	const durationMinutes = input.durationMinutes ?? owner.durationMinutes;
	const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
	const shapes =
		input.kind === 'single'
			? Array.from({ length: input.count ?? 1 }, () => ({ name: input.name ?? '', maxUses: 1 }))
			: input.kind === 'private'
				? input.names!.map((name) => ({ name, maxUses: input.maxUses ?? 0 }))
				: [{ name: input.name ?? 'Anyone with the link', maxUses: input.maxUses ?? 0 }];
	return shapes.map(({ name, maxUses }) => {
		const token = randomToken(16);
		return {
			id: newId(),
			workspaceId: principal.workspaceId,
			projectId: owner.projectId,
			interviewerId: owner.id,
			kind: input.kind,
			name: name || generatedLinkName(token),
			token,
			status: 'pending',
			enabled: true,
			askEmail: input.kind !== 'public' || input.askEmail === 'required',
			maxUses,
			uses: 0,
			completedUses: 0,
			durationMinutes,
			voice: input.voice ?? null,
			language: input.language ?? null,
			topics: input.topics ?? null,
			context: input.context ?? '',
			allowedOrigins: input.allowedOrigins ?? [],
			screenerEnabled: input.screenerEnabled ?? false,
			screenedOut: 0,
			reservedTokens: 0,
			expiresAt,
			lastInterviewAt: null,
			createdBy: principal.userId,
			createdAt: now,
			updatedAt: now
		};
	});
}

/** The private-link limit is checked before the balance, so a batch over both is told about the limit. */
function assertPrivateRoom(owner: InterviewerRow, input: CreateLinks): void {
	if (input.kind !== 'private') return;
	const asked = input.names?.length ?? 0;
	const room = Math.max(0, LIMITS.maxOpenPrivateLinks - owner.openPrivateLinks);
	if (asked <= room) return;
	throw new ApiError('conflict', privateLimitMessage(owner.name, owner.openPrivateLinks), {
		openPrivateLinks: owner.openPrivateLinks,
		limit: LIMITS.maxOpenPrivateLinks,
		room
	});
}

const privateLimitMessage = (name: string, open: number) =>
	`An interviewer has at most ${LIMITS.maxOpenPrivateLinks} open private links; ${name} has ${open}, so there is room for ${Math.max(0, LIMITS.maxOpenPrivateLinks - open)} more.`;

async function prepare(env: Env, db: Database, principal: Principal, interviewerId: string, input: CreateLinks) {
	const owner = await findInterviewerRow(db, principal, interviewerId);
	assertContextComplete(await findProjectRow(db, principal, owner.projectId));
	assertPrivateRoom(owner, input);
	const durationMinutes = input.durationMinutes ?? owner.durationMinutes;
	await assertSupported(env, db, principal.workspaceId, {
		voice: input.voice ?? owner.voice,
		language: input.language ?? owner.language,
		durationMinutes
	});
	const price = tokensPerMinute(env);
	const rows = planRows(principal, owner, input, new Date()).map((row) => ({ ...row, reservedTokens: linkReservation(row, price) }));
	const total = rows.reduce((sum, row) => sum + row.reservedTokens, 0);
	return { owner, rows, total, perInterview: interviewShare(durationMinutes, price) };
}

/** What creating these links would reserve, against the current balance. Writes nothing. */
export async function previewLinks(
	env: Env,
	db: Database,
	principal: Principal,
	interviewerId: string,
	input: CreateLinks
): Promise<Reservation> {
	const { total, perInterview } = await prepare(env, db, principal, interviewerId, input);
	const { available } = await getBalance(db, principal.workspaceId);
	return { tokens: total, perInterview, available, shortfall: Math.max(0, total - available) };
}

/**
 * Creates a batch of links in the same D1 batch as their reservation: either every link exists
 * and its tokens are reserved, or nothing was written (402 with the shortfall, or 409 for the private-link cap).
 */
export async function createLinks(env: Env, db: Database, principal: Principal, interviewerId: string, input: CreateLinks) {
	assertEmbedOrigins(env, input.allowedOrigins);
	const { owner, rows, total, perInterview } = await prepare(env, db, principal, interviewerId, input);
	const privateCount = rows.filter((row) => row.kind === 'private').length;
	const statements = [
		...rows.map((row) => db.insert(link).values(row)),
		db
			.update(interviewer)
			.set({ openPrivateLinks: sql`${interviewer.openPrivateLinks} + ${privateCount}` })
			.where(eq(interviewer.id, owner.id))
	];
	const reserved = rows.filter((row) => row.reservedTokens > 0);
	try {
		if (reserved.length === 0) {
			await runBatch(db, statements);
		} else {
			const reservation = reservationStatements(db, {
				workspaceId: principal.workspaceId,
				actorId: principal.userId,
				note: `${rows.length} ${owner.name} link${rows.length === 1 ? '' : 's'}`,
				items: reserved.map((row) => ({ reference: linkReservationReference(row.id), amount: row.reservedTokens }))
			});
			const result = await batchWithReservation(db, reservation, statements);
			if (!result.ok) throw insufficientTokens(result);
		}
	} catch (error) {
		if (errorMentions(error, 'interviewer_open_private_links_cap')) {
			const current = await findInterviewerRow(db, principal, interviewerId);
			throw new ApiError('conflict', privateLimitMessage(current.name, current.openPrivateLinks), {
				openPrivateLinks: current.openPrivateLinks,
				limit: LIMITS.maxOpenPrivateLinks,
				room: Math.max(0, LIMITS.maxOpenPrivateLinks - current.openPrivateLinks)
			});
		}
		throw error;
	}
	await Promise.all(rows.map((row) => rememberLinkToken(env, row.token, { linkId: row.id, workspaceId: row.workspaceId })));
	const { available } = await getBalance(db, principal.workspaceId);
	return {
		links: rows.map((row) => toLink(row, env.PUBLIC_BASE_URL)),
		reservation: { tokens: total, perInterview, available, shortfall: 0 }
	};
}

export async function findLinkRow(db: Database, principal: Principal, linkId: string): Promise<LinkRow> {
	const row = await db.query.link.findFirst({ where: and(eq(link.id, linkId), eq(link.workspaceId, principal.workspaceId)) });
	if (!row) throw new ApiError('not_found', 'Link not found.');
	return row;
}

/**
 * The stored statuses of each tab. A link past its expiry is closed before the list is read; one the clock passed
 * since is dropped from the Active page here and joins Archived once it is closed.
 */
const TAB_STATUSES: Record<LinkTab, LinkRow['status'][]> = {
	active: ['pending', 'active'],
	completed: ['completed'],
	archived: ['cancelled', 'expired', 'deleted']
};

/** A page of an interviewer's links on one dashboard tab, newest first (ties by id). */
export async function listLinks(
	env: Env,
	db: Database,
	principal: Principal,
	interviewerId: string,
	tab: LinkTab,
	page: PageQuery
): Promise<{ links: Link[]; nextCursor: string | null }> {
	await findInterviewerRow(db, principal, interviewerId);
	const rows = await db
		.select()
		.from(link)
		.where(
			and(
				eq(link.workspaceId, principal.workspaceId),
				eq(link.interviewerId, interviewerId),
				inArray(link.status, TAB_STATUSES[tab]),
				afterCursor(link.createdAt, link.id, page.cursor)
			)
		)
		.orderBy(desc(link.createdAt), desc(link.id))
		.limit(page.limit + 1);
	const now = clockNow();
	const shown = pageOf(rows, page.limit, (row) => row);
	return {
		links: shown.rows.filter((row) => tabOf(row, effectiveStatus(row, now)) === tab).map((row) => toLink(row, env.PUBLIC_BASE_URL, now)),
		nextCursor: shown.nextCursor
	};
}
