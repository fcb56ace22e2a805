import type { Link } from '$contracts/links';
import { LINK_LIMITS as LIMITS } from '$contracts/limits';

/** The Change settings form's rules: what is sent, what it moves in the reservation. No state here. */

const pad = (value: number) => String(value).padStart(2, '0');

/** The local calendar date (yyyy-mm-dd) of an instant, as a date input shows it. */
export function localDate(at: Date | string): string {
	const date = new Date(at);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A chosen expiry date means the link works through that whole day, in the researcher's time zone. */
export function endOfLocalDay(date: string): Date {
	const [year, month, day] = date.split('-').map(Number);
	return new Date(year!, month! - 1, day!, 23, 59, 59, 999);
}

export type SettingsDraft = { neverExpires: boolean; expiryDate: string; maxUses: string; screenerEnabled: boolean };
export type SettingsBody = { expiresAt?: string | null; maxUses?: number; screenerEnabled?: boolean };
export type SettingsErrors = Partial<Record<'expiry' | 'maxUses', string>>;

export function draftOf(link: Link): SettingsDraft {
	return {
		neverExpires: link.expiresAt === null,
		expiryDate: link.expiresAt ? localDate(link.expiresAt) : '',
		maxUses: String(link.maxUses),
		screenerEnabled: link.screenerEnabled
	};
}

/** The PATCH body for what changed (nothing when nothing did), or the errors to fix first. */
export function settingsBody(link: Link, draft: SettingsDraft, now = new Date()): { body: SettingsBody; errors: SettingsErrors } {
	const body: SettingsBody = {};
	const errors: SettingsErrors = {};
	const initial = draftOf(link);
	if (draft.neverExpires) {
		if (link.expiresAt !== null) body.expiresAt = null;
	} else if (!draft.expiryDate) {
		errors.expiry = 'Choose the last day the link works, or tick “Never expires”.';
	} else if (draft.expiryDate !== initial.expiryDate || link.expiresAt === null) {
		const end = endOfLocalDay(draft.expiryDate);
		if (Number.isNaN(end.getTime()) || end.getTime() <= now.getTime()) errors.expiry = 'Choose today or a later day.';
		else body.expiresAt = end.toISOString();
	}
	if (link.kind !== 'single') {
		const text = String(draft.maxUses ?? '').trim();
		const value = Number(text);
		if (text === '' || !Number.isInteger(value) || value < 0 || value > LIMITS.maxUses) {
			errors.maxUses = `A whole number up to ${LIMITS.maxUses.toLocaleString('en')}; 0 means unlimited.`;
		} else if (value > 0 && value < link.uses) {
			errors.maxUses = `${link.uses} interviews already started on this link, so it needs at least ${link.uses} (or 0 for unlimited).`;
		} else if (value !== link.maxUses) {
			body.maxUses = value;
		}
	}
	if (draft.screenerEnabled !== link.screenerEnabled) body.screenerEnabled = draft.screenerEnabled;
	return { body, errors };
}

/**
 * How the reservation moves when the cap does, as the server works it out: one interview's share
 * per use left under the cap, none for an unlimited link (its interviews reserve as they start).
 * Positive reserves more, negative gives tokens back.
 */
export function reservationChange(link: Pick<Link, 'maxUses' | 'uses'>, maxUses: number, share: number): number {
	const left = (cap: number) => (cap > 0 ? Math.max(0, cap - link.uses) * share : 0);
	return left(maxUses) - left(link.maxUses);
}
