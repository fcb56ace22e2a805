import type { PublicLinkState } from '$contracts/links';
import { CLOSE_CODES } from './wire';
import type { RefusalKey } from './i18n';

/** Why the onboarding cannot go on, from the public link's state; null when the link is open. */
export function refusalForLinkState(state: PublicLinkState): RefusalKey | null {
	return state === 'open' ? null : state;
}

const BY_ERROR_CODE: Record<string, RefusalKey> = {
	unknown_link: 'unknown',
	link_cancelled: 'cancelled',
	link_disabled: 'disabled',
	link_expired: 'expired',
	interviewer_offline: 'offline',
	no_uses_left: 'used_up',
	link_completed: 'completed',
	interview_ended: 'completed',
	in_use: 'inUse',
	insufficient_tokens: 'insufficientTokens',
	email_required: 'badRequest',
	invalid_email: 'badRequest',
	consent_required: 'badRequest',
	too_many_frames: 'tooManyFrames',
	too_many_bad_frames: 'tooManyFrames',
	rejoin_locked: 'rejoinLocked'
};

const BY_CLOSE_CODE: Record<number, RefusalKey> = {
	[CLOSE_CODES.unknownLink]: 'unknown',
	[CLOSE_CODES.insufficientTokens]: 'insufficientTokens',
	[CLOSE_CODES.inUse]: 'inUse',
	[CLOSE_CODES.badFrame]: 'badRequest',
	[CLOSE_CODES.noUsesLeft]: 'used_up',
	[CLOSE_CODES.expired]: 'expired',
	[CLOSE_CODES.offline]: 'offline',
	[CLOSE_CODES.tooManyFrames]: 'tooManyFrames'
};

/**
 * The sentence for a socket the server refused. The close code says which family (4401 covers
 * unknown, cancelled and disabled links); the `error` frame sent just before it says which one.
 */
export function refusalForClose(closeCode: number, errorCode: string | null): RefusalKey {
	const precise = errorCode ? BY_ERROR_CODE[errorCode] : undefined;
	return precise ?? BY_CLOSE_CODE[closeCode] ?? 'closed';
}
