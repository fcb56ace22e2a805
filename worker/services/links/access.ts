import { eq } from 'drizzle-orm';
import { capabilitiesOf } from '../../ai/capabilities';
import type { PublicLink, PublicLinkState } from '../../contracts/links';
import type { Refusal } from '../../lib/socket';
import type { Database } from '../../db/client';
import { interviewer, link } from '../../db/schema';
import type { InterviewerRow } from '../interviewers';
import { lookupLinkToken, rememberLinkToken } from './tokens';
import { effectiveStatus, isExhausted, isMultiUse, type LinkRow } from './view';
import { workspaceProvider } from '../interviewers';
import { linkScreener, publicScreener } from '../screeners';
import { now as clockNow } from '../../lib/clock';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export type ResolvedLink = { row: LinkRow; owner: InterviewerRow };

/**
 * Token → link, from D1. KV only saves the token → ids step; the row read here is the authority,
 * and a token that no longer matches the row (regenerated) resolves to nothing.
 */
export async function resolveLinkToken(env: Env, db: Database, token: string): Promise<ResolvedLink | null> {
	if (!TOKEN_PATTERN.test(token)) return null;
	const cached = await lookupLinkToken(env, token);
	const row = cached
		? await db.query.link.findFirst({ where: eq(link.id, cached.linkId) })
		: await db.query.link.findFirst({ where: eq(link.token, token) });
	if (!row || row.token !== token) return null;
	if (!cached) await rememberLinkToken(env, token, { linkId: row.id, workspaceId: row.workspaceId });
	const owner = await db.query.interviewer.findFirst({ where: eq(interviewer.id, row.interviewerId) });
	return owner ? { row, owner } : null;
}

/** Whether a link admits a new join right now, and if not, why. */
export function linkState(resolved: ResolvedLink | null, now = clockNow()): PublicLinkState {
	if (!resolved) return 'unknown';
	const { row, owner } = resolved;
	const status = effectiveStatus(row, now);
	if (status === 'deleted') return 'unknown';
	if (status === 'cancelled') return 'cancelled';
	if (status === 'expired') return 'expired';
	if (status === 'completed') return isMultiUse(row) ? 'used_up' : 'completed';
	if (owner.status === 'offline') return 'offline';
	if (isMultiUse(row) && !row.enabled) return 'disabled';
	if (isExhausted(row)) return 'used_up';
	return 'open';
}

export const REFUSALS: Record<Exclude<PublicLinkState, 'open'>, Refusal> = {
	unknown: { code: 'unknown_link', message: 'This interview link does not exist or has been revoked.' },
	cancelled: { code: 'link_cancelled', message: 'This interview link has been cancelled.' },
	disabled: { code: 'link_disabled', message: 'This interview link is switched off for now.' },
	expired: { code: 'link_expired', message: 'This interview link has expired.' },
	offline: { code: 'interviewer_offline', message: 'The interviewer is offline right now.' },
	used_up: { code: 'no_uses_left', message: 'This interview link has been used as many times as it allows.' },
	completed: { code: 'link_completed', message: 'This interview has already been completed.' }
};

/** What the respondent's onboarding needs, and nothing about the project behind it. */
/**
 * Why a single-use link's interview may not be joined now, or null: its link is open, or its
 * interview is running (the respondent rejoins). Multi-use links are admitted per interview instead.
 */
export function singleLinkRefusal(resolved: ResolvedLink, state: PublicLinkState): Refusal | null {
	if (resolved.row.kind !== 'single' || state === 'open' || resolved.row.status === 'active') return null;
	return REFUSALS[state];
}

export async function publicLink(env: Env, db: Database, resolved: ResolvedLink | null): Promise<PublicLink> {
	const state = linkState(resolved);
	if (!resolved || state === 'unknown') {
		return {
			state: 'unknown',
			title: null,
			topics: [],
			durationMinutes: null,
			language: null,
			askEmail: true,
			mode: null,
			voice: null,
			allowedOrigins: [],
			screener: []
		};
	}
	const { row, owner } = resolved;
	const provider = await workspaceProvider(env, db, row.workspaceId);
	return {
		state,
		title: owner.name,
		topics: row.topics ?? owner.topics,
		durationMinutes: row.durationMinutes,
		language: row.language ?? owner.language,
		askEmail: row.askEmail,
		mode: capabilitiesOf(provider).provider,
		voice: row.voice ?? owner.voice,
		allowedOrigins: row.allowedOrigins,
		screener: state === 'open' ? publicScreener(await linkScreener(db, row)) : []
	};
}
