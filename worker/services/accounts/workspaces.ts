import { and, asc, eq } from 'drizzle-orm';
import type { Role, WorkspaceSummary } from '../../contracts/api';
import type { Database } from '../../db/client';
import { membership, tokenBalance, user, workspace } from '../../db/schema';
import { newId } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { signupGrantStatements } from '../ledger';

export const personalWorkspaceId = (userId: string) => `ws_${userId}`;

/** A workspace with its owner and its balance row, and the owner switched to it, in one batch. */
function newWorkspaceStatements(db: Database, input: { workspaceId: string; name: string; ownerId: string }) {
	const { workspaceId, ownerId } = input;
	return [
		db.insert(workspace).values({ id: workspaceId, name: input.name }).onConflictDoNothing(),
		db.insert(membership).values({ workspaceId, userId: ownerId, role: 'owner' }).onConflictDoNothing(),
		db.insert(tokenBalance).values({ workspaceId, available: 0, reserved: 0 }).onConflictDoNothing(),
		db.update(user).set({ currentWorkspaceId: workspaceId }).where(eq(user.id, ownerId))
	] as const;
}

/**
 * Every user has a personal workspace, whose id follows from theirs; safe to call again.
 * The free allowance goes to it and to no other workspace, so an account gets it once:
 * the grant's reference is unique per workspace, and this workspace is one per user.
 */
export async function ensurePersonalWorkspace(db: Database, owner: { id: string; name: string }, grant: number): Promise<string> {
	const workspaceId = personalWorkspaceId(owner.id);
	const name = `${owner.name.split(' ')[0] || 'My'}'s workspace`;
	await db.batch([
		...newWorkspaceStatements(db, { workspaceId, name, ownerId: owner.id }),
		...signupGrantStatements(db, workspaceId, grant, owner.id)
	]);
	return workspaceId;
}

/** Another workspace the user owns. It starts at 0 tokens: the free allowance came with the account. */
export async function createWorkspace(db: Database, ownerId: string, name: string): Promise<WorkspaceSummary> {
	const workspaceId = newId();
	await db.batch(newWorkspaceStatements(db, { workspaceId, name, ownerId }));
	return { id: workspaceId, name, role: 'owner' };
}

export async function listWorkspaces(db: Database, userId: string): Promise<WorkspaceSummary[]> {
	return db
		.select({ id: workspace.id, name: workspace.name, role: membership.role })
		.from(membership)
		.innerJoin(workspace, eq(workspace.id, membership.workspaceId))
		.where(eq(membership.userId, userId))
		.orderBy(asc(membership.createdAt));
}

/** The workspace a signed-in user acts in: their current one if they still belong to it, else their first. */
export async function resolveSessionWorkspace(
	db: Database,
	account: { id: string; name: string; currentWorkspaceId?: string | null },
	grant: number
): Promise<{ workspaceId: string; role: Role }> {
	let workspaces = await listWorkspaces(db, account.id);
	if (workspaces.length === 0) {
		await ensurePersonalWorkspace(db, account, grant);
		workspaces = await listWorkspaces(db, account.id);
	}
	const current = workspaces.find((candidate) => candidate.id === account.currentWorkspaceId) ?? workspaces[0];
	if (!current) throw new ApiError('internal', 'Your workspace could not be set up.');
	return { workspaceId: current.id, role: current.role };
}

export async function switchWorkspace(db: Database, userId: string, workspaceId: string): Promise<void> {
	const row = await db.query.membership.findFirst({ where: and(eq(membership.userId, userId), eq(membership.workspaceId, workspaceId)) });
	if (!row) throw new ApiError('not_found', 'Workspace not found.');
	await db.update(user).set({ currentWorkspaceId: workspaceId }).where(eq(user.id, userId));
}

export async function renameWorkspace(db: Database, principal: Principal, name: string): Promise<void> {
	await db.update(workspace).set({ name, updatedAt: new Date() }).where(eq(workspace.id, principal.workspaceId));
}

export async function getWorkspace(db: Database, workspaceId: string) {
	const row = await db.query.workspace.findFirst({ where: eq(workspace.id, workspaceId) });
	if (!row) throw new ApiError('not_found', 'Workspace not found.');
	return row;
}
