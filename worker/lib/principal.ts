import type { Role } from '../contracts/api';
import { ApiError } from './errors';

/** Who is calling, and in which workspace: every service call is scoped by this. */
export type Principal = {
	userId: string;
	workspaceId: string;
	role: Role;
	method: 'session' | 'api_key';
	apiKeyId?: string;
};

const RANK: Record<Role, number> = { member: 0, admin: 1, owner: 2 };

/** The weaker of two roles: what a delegated credential may do when both must allow it. */
export function lowerRole(a: Role, b: Role): Role {
	return RANK[a] <= RANK[b] ? a : b;
}

export function hasRole(principal: Principal, minimum: Role): boolean {
	return RANK[principal.role] >= RANK[minimum];
}

export function assertRole(principal: Principal, minimum: Role, action: string): void {
	if (!hasRole(principal, minimum)) {
		throw new ApiError('forbidden', `Only workspace ${minimum === 'owner' ? 'owners' : 'admins and owners'} can ${action}.`);
	}
}
