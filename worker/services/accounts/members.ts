import { and, asc, eq } from 'drizzle-orm';
import type { Member } from '../../contracts/api';
import type { PageQuery } from '../../contracts/pagination';
import type { Database } from '../../db/client';
import { membership, user } from '../../db/schema';
import { afterCursor, pageOf } from '../../lib/cursor';
import { ApiError } from '../../lib/errors';
import { assertRole, type Principal } from '../../lib/principal';

/** A page of the workspace's members, in the order they joined (ties by user id). */
export async function listMembers(
	db: Database,
	principal: Principal,
	page: PageQuery
): Promise<{ members: Member[]; nextCursor: string | null }> {
	const rows = await db
		.select({ userId: user.id, name: user.name, email: user.email, role: membership.role, joinedAt: membership.createdAt })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.workspaceId, principal.workspaceId), afterCursor(membership.createdAt, membership.userId, page.cursor, 'asc')))
		.orderBy(asc(membership.createdAt), asc(membership.userId))
		.limit(page.limit + 1);
	const shown = pageOf(rows, page.limit, (row) => ({ createdAt: row.joinedAt, id: row.userId }));
	return { members: shown.rows.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() })), nextCursor: shown.nextCursor };
}

async function findMember(db: Database, workspaceId: string, userId: string) {
	const row = await db.query.membership.findFirst({ where: and(eq(membership.workspaceId, workspaceId), eq(membership.userId, userId)) });
	if (!row) throw new ApiError('not_found', 'Member not found.');
	return row;
}

/** Admins and owners manage members; nobody but the owner's own workspace rules touch the owner. */
export async function changeMemberRole(db: Database, principal: Principal, userId: string, role: 'admin' | 'member'): Promise<void> {
	assertRole(principal, 'admin', 'manage members');
	const target = await findMember(db, principal.workspaceId, userId);
	if (target.role === 'owner') throw new ApiError('forbidden', "The workspace owner's role cannot be changed.");
	await db
		.update(membership)
		.set({ role })
		.where(and(eq(membership.workspaceId, principal.workspaceId), eq(membership.userId, userId)));
}

/** Admins and owners remove members; anyone but the owner may also leave. */
export async function removeMember(db: Database, principal: Principal, userId: string): Promise<void> {
	const leaving = userId === principal.userId;
	if (!leaving) assertRole(principal, 'admin', 'manage members');
	const target = await findMember(db, principal.workspaceId, userId);
	if (target.role === 'owner') throw new ApiError('forbidden', 'The workspace owner cannot be removed.');
	await db.delete(membership).where(and(eq(membership.workspaceId, principal.workspaceId), eq(membership.userId, userId)));
}
