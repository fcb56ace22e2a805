import { and, eq, inArray } from 'drizzle-orm';
import type { Link, LinkAction } from '../../contracts/links';
import type { Database } from '../../db/client';
import { link } from '../../db/schema';
import { randomToken } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { closeLink } from './lifecycle';
import { forgetLinkToken, rememberLinkToken } from './tokens';
import { actionsOf, effectiveStatus, OPEN_STATUSES, toLink, type LinkRow } from './view';
import { findLinkRow } from './create';
import { reconfigureLink, type LinkSettings } from './settings';
import { assertEmbeddable, assertEmbedOrigins } from './embed';

const ACTION_WORDS: Record<LinkAction, string> = {
	copy: 'copied',
	open: 'opened',
	rename: 'renamed',
	editContext: 'given a new context',
	changeSettings: 'reconfigured',
	embed: 'embedded',
	cancel: 'cancelled',
	enable: 'enabled',
	disable: 'disabled',
	regenerate: 'regenerated',
	delete: 'deleted'
};

function assertAllowed(row: LinkRow, action: LinkAction): void {
	if (!actionsOf(row).includes(action)) {
		throw new ApiError('conflict', `This ${row.kind} link is ${effectiveStatus(row)}, so it cannot be ${ACTION_WORDS[action]}.`, {
			status: effectiveStatus(row),
			action
		});
	}
}

async function reload(env: Env, db: Database, principal: Principal, linkId: string): Promise<Link> {
	return toLink(await findLinkRow(db, principal, linkId), env.PUBLIC_BASE_URL);
}

/** Rename, Edit Context, Enable/Disable. Context applies to interviews that start afterwards. */
export async function updateLink(
	env: Env,
	db: Database,
	principal: Principal,
	linkId: string,
	patch: { name?: string; context?: string; enabled?: boolean; allowedOrigins?: string[]; screenerEnabled?: boolean } & LinkSettings
): Promise<Link> {
	const { expiresAt, maxUses, ...basics } = patch;
	assertEmbedOrigins(env, patch.allowedOrigins);
	if (patch.allowedOrigins !== undefined) assertEmbeddable((await findLinkRow(db, principal, linkId)).kind, patch.allowedOrigins);
	if (expiresAt !== undefined || maxUses !== undefined) await reconfigureLink(env, db, principal, linkId, { expiresAt, maxUses });
	if (Object.keys(basics).length === 0) return reload(env, db, principal, linkId);
	const row = await findLinkRow(db, principal, linkId);
	if (patch.name !== undefined) assertAllowed(row, 'rename');
	if (patch.context !== undefined) assertAllowed(row, 'editContext');
	if (patch.enabled !== undefined && patch.enabled !== row.enabled) assertAllowed(row, patch.enabled ? 'enable' : 'disable');
	const updated = await db
		.update(link)
		.set({ ...basics, updatedAt: new Date() })
		.where(and(eq(link.id, row.id), eq(link.workspaceId, principal.workspaceId), inArray(link.status, [...OPEN_STATUSES])))
		.returning();
	if (updated.length === 0) throw new ApiError('conflict', 'This link changed while you edited it. Reload and try again.');
	return reload(env, db, principal, linkId);
}

/** Cancel a pending link: it refuses joins at once and gives its whole reservation back. */
export async function cancelLink(env: Env, db: Database, principal: Principal, linkId: string): Promise<Link> {
	const row = await findLinkRow(db, principal, linkId);
	assertAllowed(row, 'cancel');
	if (!(await closeLink(env, db, row, 'cancelled', principal.userId))) throw new ApiError('conflict', 'This link is no longer pending.');
	await forgetLinkToken(env, row.token);
	return reload(env, db, principal, linkId);
}

/** A new token; the old one is refused from the very next join (joins compare against D1). */
export async function regenerateLink(env: Env, db: Database, principal: Principal, linkId: string): Promise<Link> {
	const row = await findLinkRow(db, principal, linkId);
	assertAllowed(row, 'regenerate');
	const token = randomToken(16);
	const updated = await db
		.update(link)
		.set({ token, updatedAt: new Date() })
		.where(and(eq(link.id, row.id), eq(link.token, row.token), inArray(link.status, [...OPEN_STATUSES])))
		.returning();
	if (updated.length === 0) throw new ApiError('conflict', 'This link changed while you regenerated it. Reload and try again.');
	await Promise.all([forgetLinkToken(env, row.token), rememberLinkToken(env, token, { linkId: row.id, workspaceId: row.workspaceId })]);
	return reload(env, db, principal, linkId);
}

/** Delete revokes at once; interviews already running may finish, and unused tokens come back. */
export async function deleteLink(env: Env, db: Database, principal: Principal, linkId: string): Promise<void> {
	const row = await findLinkRow(db, principal, linkId);
	assertAllowed(row, 'delete');
	const open = OPEN_STATUSES.includes(row.status);
	if (open) await closeLink(env, db, row, 'deleted', principal.userId);
	else await db.update(link).set({ status: 'deleted', updatedAt: new Date() }).where(eq(link.id, row.id));
	await forgetLinkToken(env, row.token);
}
