import { ApiError } from '../../lib/errors';
import { assertTokenAmount } from './core';

/**
 * What things cost in tokens. The price is TOKENS_PER_MINUTE tokens per interview-minute.
 *  - single link: its duration × price, reserved when the link is created;
 *  - multi-use link with maxUses N: N × duration × price, reserved when it is created;
 *  - unlimited link (maxUses 0): nothing up front; each interview reserves duration × price when it starts.
 * Completion charges ceil(minutes used) × price, capped by the interview's share, and releases the rest.
 */

function positiveInteger(raw: string | undefined, fallback: number): number {
	const value = Number(raw);
	return raw !== undefined && raw.trim() !== '' && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

export function tokensPerMinute(env: Pick<Env, 'TOKENS_PER_MINUTE'>): number {
	return positiveInteger(env.TOKENS_PER_MINUTE, 1);
}

/** The free allowance of a new workspace (0 when unset or invalid). */
export function signupTokens(env: Pick<Env, 'SIGNUP_TOKENS'>): number {
	return positiveInteger(env.SIGNUP_TOKENS, 0);
}

function wholeMinutes(durationMinutes: number): number {
	if (!Number.isSafeInteger(durationMinutes) || durationMinutes < 1) {
		throw new ApiError('invalid_request', 'The duration must be a whole number of minutes, 1 or more.', { durationMinutes });
	}
	return durationMinutes;
}

/** Tokens one interview of this length holds while it runs. */
export function interviewShare(durationMinutes: number, price: number): number {
	return assertTokenAmount(wholeMinutes(durationMinutes) * price, 'interview reservation');
}

export type LinkShape = { kind: 'single' | 'public' | 'private'; durationMinutes: number; maxUses?: number };

/** Tokens one link reserves when it is created; 0 for an unlimited link (its interviews reserve as they start). */
export function linkReservation(link: LinkShape, price: number): number {
	const share = interviewShare(link.durationMinutes, price);
	if (link.kind === 'single') return share;
	const maxUses = link.maxUses ?? 0;
	if (!Number.isSafeInteger(maxUses) || maxUses < 0)
		throw new ApiError('invalid_request', 'maxUses must be 0 (unlimited) or more.', { maxUses });
	return maxUses === 0 ? 0 : assertTokenAmount(maxUses * share, 'link reservation');
}

/** What an interview that ran `usedMs` costs before the cap: whole minutes, rounded up. */
export function usageCharge(usedMs: number, price: number): number {
	return Math.ceil(Math.max(0, usedMs) / 60_000) * price;
}
