import { and, desc, eq } from 'drizzle-orm';
import type { Invitation } from '../../contracts/api';
import type { Database } from '../../db/client';
import { invitation, membership, user, workspace } from '../../db/schema';
import { randomToken, newId, sha256Hex } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import { assertRole, type Principal } from '../../lib/principal';
import type { Mailer } from './mail/mailer';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type InvitationRow = typeof invitation.$inferSelect;

function statusOf(row: InvitationRow, now = Date.now()): Invitation['status'] {
	if (row.acceptedAt) return 'accepted';
	if (row.revokedAt) return 'revoked';
	return row.expiresAt.getTime() <= now ? 'expired' : 'pending';
}

function toInvitation(row: InvitationRow): Invitation {
	return {
		id: row.id,
		email: row.email,
		role: row.role,
		createdAt: row.createdAt.toISOString(),
		expiresAt: row.expiresAt.toISOString(),
		status: statusOf(row)
	};
}

export const invitationUrl = (baseUrl: string, token: string) => `${baseUrl.replace(/\/$/, '')}/invite/${token}`;

export async function createInvitation(
	db: Database,
	mailer: Mailer,
	principal: Principal,
	input: { email: string; role: 'admin' | 'member'; baseUrl: string }
) {
	assertRole(principal, 'admin', 'invite members');
	const already = await db
		.select({ userId: membership.userId })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.workspaceId, principal.workspaceId), eq(user.email, input.email)))
		.get();
	if (already) throw new ApiError('already_exists', `${input.email} is already a member of this workspace.`);

	const token = randomToken(24);
	const row: InvitationRow = {
		id: newId(),
		workspaceId: principal.workspaceId,
		email: input.email,
		role: input.role,
		tokenHash: await sha256Hex(token),
		invitedBy: principal.userId,
		createdAt: new Date(),
		expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
		acceptedAt: null,
		revokedAt: null
	};
	await db.insert(invitation).values(row);
	const url = invitationUrl(input.baseUrl, token);
	const space = await db.query.workspace.findFirst({ where: eq(workspace.id, principal.workspaceId) });
	await mailer.send({
		to: input.email,
		subject: `You are invited to ${space?.name ?? 'a workspace'} on Parley`,
		text: `You have been invited to join ${space?.name ?? 'a workspace'} on Parley as ${input.role}.\n\nAccept the invitation: ${url}\n\nThe link expires in 7 days.`
	});
	return { invitation: toInvitation(row), url };
}

export async function listInvitations(db: Database, principal: Principal): Promise<Invitation[]> {
	assertRole(principal, 'admin', 'see invitations');
	const rows = await db
		.select()
		.from(invitation)
		.where(eq(invitation.workspaceId, principal.workspaceId))
		.orderBy(desc(invitation.createdAt));
	return rows.map(toInvitation);
}

export async function revokeInvitation(db: Database, principal: Principal, invitationId: string): Promise<void> {
	assertRole(principal, 'admin', 'revoke invitations');
	const row = await db.query.invitation.findFirst({
		where: and(eq(invitation.id, invitationId), eq(invitation.workspaceId, principal.workspaceId))
	});
	if (!row) throw new ApiError('not_found', 'Invitation not found.');
	if (statusOf(row) !== 'pending') throw new ApiError('conflict', `This invitation is already ${statusOf(row)}.`);
	await db.update(invitation).set({ revokedAt: new Date() }).where(eq(invitation.id, row.id));
}

async function findByToken(db: Database, token: string) {
	if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
	return db.query.invitation.findFirst({ where: eq(invitation.tokenHash, await sha256Hex(token)) }) ?? null;
}

export async function previewInvitation(db: Database, token: string) {
	const row = await findByToken(db, token);
	if (!row) throw new ApiError('not_found', 'This invitation link is not valid.');
	const space = await db.query.workspace.findFirst({ where: eq(workspace.id, row.workspaceId) });
	return { workspaceName: space?.name ?? 'Workspace', email: row.email, role: row.role, status: statusOf(row) };
}

/** Joins the signed-in user to the invitation's workspace and makes it current. */
export async function acceptInvitation(db: Database, account: { id: string; email: string }, token: string): Promise<string> {
	const row = await findByToken(db, token);
	if (!row) throw new ApiError('not_found', 'This invitation link is not valid.');
	const status = statusOf(row);
	if (status !== 'pending') throw new ApiError('gone', `This invitation is ${status}.`);
	if (row.email !== account.email.toLowerCase()) {
		throw new ApiError('forbidden', `This invitation is for ${row.email}. Sign in with that email to accept it.`);
	}
	await db.batch([
		db.insert(membership).values({ workspaceId: row.workspaceId, userId: account.id, role: row.role }).onConflictDoNothing(),
		db.update(invitation).set({ acceptedAt: new Date() }).where(eq(invitation.id, row.id)),
		db.update(user).set({ currentWorkspaceId: row.workspaceId }).where(eq(user.id, account.id))
	]);
	return row.workspaceId;
}
