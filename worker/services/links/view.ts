import type { Link, LinkAction, LinkStatus, LinkTab } from '../../contracts/links';
import type { link } from '../../db/schema';
import { now as clockNow } from '../../lib/clock';

export type LinkRow = typeof link.$inferSelect;

export const OPEN_STATUSES: readonly LinkStatus[] = ['pending', 'active'];
export const isMultiUse = (row: Pick<LinkRow, 'kind'>) => row.kind !== 'single';
export const linkUrl = (baseUrl: string, token: string) => `${baseUrl.replace(/\/$/, '')}/interview/${token}`;

/** Expiry is found when read: an open link past its date is expired, unless its single interview is running. */
export function effectiveStatus(row: LinkRow, now = clockNow()): LinkStatus {
	const due = row.expiresAt !== null && row.expiresAt.getTime() <= now;
	if (due && row.status === 'pending') return 'expired';
	if (due && row.status === 'active' && isMultiUse(row)) return 'expired';
	return row.status;
}

export function isExhausted(row: LinkRow): boolean {
	return isMultiUse(row) && row.maxUses > 0 && row.uses >= row.maxUses;
}

/**
 * A link whose interviews are done (a finished single link, a used-up multi-use one) is Completed;
 * Archived holds the links someone or the clock closed: cancelled, expired and deleted.
 */
export function tabOf(row: LinkRow, status = effectiveStatus(row)): LinkTab {
	if (status === 'completed') return 'completed';
	if (status === 'cancelled' || status === 'expired' || status === 'deleted') return 'archived';
	return 'active';
}

/** The row actions a link allows in its current state; the services enforce the same rules. */
export function actionsOf(row: LinkRow, status = effectiveStatus(row)): LinkAction[] {
	const open = OPEN_STATUSES.includes(status);
	const actions: LinkAction[] = [];
	if (open && !isExhausted(row)) actions.push('copy', 'open');
	if (status === 'pending' || (open && isMultiUse(row))) actions.push('rename', 'editContext');
	if (status === 'pending' || (isMultiUse(row) && (open || status === 'completed'))) actions.push('changeSettings');
	if (open && isMultiUse(row)) actions.push('embed');
	if (status === 'pending') actions.push('cancel');
	if (open && isMultiUse(row)) actions.push(row.enabled ? 'disable' : 'enable');
	if (open) actions.push('regenerate');
	if (status !== 'deleted') actions.push('delete');
	return actions;
}

export function toLink(row: LinkRow, baseUrl: string, now = clockNow()): Link {
	const status = effectiveStatus(row, now);
	return {
		id: row.id,
		interviewerId: row.interviewerId,
		projectId: row.projectId,
		kind: row.kind,
		name: row.name,
		token: row.token,
		url: linkUrl(baseUrl, row.token),
		status,
		enabled: row.enabled,
		askEmail: row.askEmail,
		exhausted: isExhausted(row),
		uses: row.uses,
		completedUses: row.completedUses,
		maxUses: row.maxUses,
		expiresAt: row.expiresAt?.toISOString() ?? null,
		durationMinutes: row.durationMinutes,
		voice: row.voice,
		language: row.language,
		topics: row.topics,
		context: row.context,
		allowedOrigins: row.allowedOrigins,
		screenerEnabled: row.screenerEnabled,
		screenedOut: row.screenedOut,
		reservedTokens: row.reservedTokens,
		lastInterviewAt: row.lastInterviewAt?.toISOString() ?? null,
		createdAt: row.createdAt.toISOString(),
		tab: tabOf(row, status),
		actions: actionsOf(row, status)
	};
}
