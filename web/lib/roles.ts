import type { Member, Role } from '$contracts/api';

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };

export const ASSIGNABLE_ROLES = [
	{ value: 'member', label: 'Member' },
	{ value: 'admin', label: 'Admin' }
] as const satisfies readonly { value: Role; label: string }[];

/** A role someone can be given: only the owner is the owner. */
export type AssignableRole = (typeof ASSIGNABLE_ROLES)[number]['value'];

/** Admins and owners manage the workspace: its name, members, invitations, API keys and deletions. */
export const canManage = (role: Role) => role === 'owner' || role === 'admin';

export const ADMIN_ONLY = (action: string) => `Only admins and owners can ${action}.`;

/** Why the viewer may not change this member's role or remove them, or null when they may. */
export function memberLockReason(viewer: { userId: string; role: Role }, member: Member): string | null {
	if (!canManage(viewer.role)) return ADMIN_ONLY('change roles or remove members');
	if (member.role === 'owner') return 'The workspace owner cannot be changed or removed.';
	if (member.userId === viewer.userId) return 'You cannot change your own role or remove yourself.';
	return null;
}
