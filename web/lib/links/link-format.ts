import type { Link, LinkKind } from '$contracts/links';
import type { BadgeTone } from '$lib/components/Badge.svelte';
import { formatDate } from '$lib/format';

/** Link actions that ask first. */
export type RiskyAction = 'cancel' | 'regenerate' | 'delete';

export const KIND_LABELS: Record<LinkKind, string> = {
	single: 'Single-use',
	public: 'Anyone with the link',
	private: 'Private'
};

/** A link's name: every link has one, stored when it was created, so rows and records match. */
export function linkName(link: Pick<Link, 'name'>): string {
	return link.name;
}

/**
 * The status of a link in plain words, with the tone of its badge. While its interviewer is offline
 * a link that would take a new interview is Paused: every join is refused until it goes live.
 */
export function linkStatus(link: Link, interviewerOffline = false): { label: string; tone: BadgeTone } {
	switch (link.status) {
		case 'completed':
			return { label: 'Completed', tone: 'success' };
		case 'expired':
			return { label: 'Expired', tone: 'neutral' };
		case 'cancelled':
			return { label: 'Cancelled', tone: 'neutral' };
		case 'deleted':
			return { label: 'Deleted', tone: 'danger' };
		default:
			if (link.kind === 'single' && link.status === 'active') return { label: 'In progress', tone: 'accent' };
			if (link.kind !== 'single' && !link.enabled) return { label: 'Disabled', tone: 'neutral' };
			if (link.exhausted) return { label: 'Used up', tone: 'neutral' };
			if (interviewerOffline) return { label: 'Paused', tone: 'warning' };
			return link.kind === 'single' ? { label: 'Not used yet', tone: 'warning' } : { label: 'Open', tone: 'success' };
	}
}

/** "2 / 5", or "2 / ∞" for an unlimited link. */
export function usesLabel(link: Link): string {
	const max = link.kind === 'single' ? 1 : link.maxUses;
	return `${link.uses} / ${max === 0 ? '∞' : max}`;
}

export function expiryLabel(link: Link): string {
	return link.expiresAt ? formatDate(link.expiresAt) : 'Never';
}

/** Quotes a CSV cell when needed, and defuses text a spreadsheet would run as a formula. */
function csvCell(value: string): string {
	const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The links as CSV: name, url, kind, status, uses, expires. */
export function linksCsv(links: Link[]): string {
	const rows = [['name', 'url', 'kind', 'status', 'uses', 'expires']];
	for (const link of links)
		rows.push([linkName(link), link.url, KIND_LABELS[link.kind], linkStatus(link).label, usesLabel(link), link.expiresAt ?? '']);
	return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
