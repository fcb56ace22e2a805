import type { PublicLinkState } from '$contracts/links';
import type { SocketErrorCode } from '$contracts/socket-errors';
import { SOCKET_ERROR_REACTIONS } from './socket-errors';
import { CLOSE_CODES } from './wire';
import type { RefusalKey } from './i18n';

/** Why the onboarding cannot go on, from the public link's state; null when the link is open. */
export function refusalForLinkState(state: PublicLinkState): RefusalKey | null {
	return state === 'open' ? null : state;
}

const BY_CLOSE_CODE: Record<number, RefusalKey> = {
	[CLOSE_CODES.unknownLink]: 'unknown',
	[CLOSE_CODES.insufficientTokens]: 'insufficientTokens',
	[CLOSE_CODES.inUse]: 'inUse',
	[CLOSE_CODES.badFrame]: 'badRequest',
	[CLOSE_CODES.noUsesLeft]: 'used_up',
	[CLOSE_CODES.expired]: 'expired',
	[CLOSE_CODES.offline]: 'offline',
	[CLOSE_CODES.tooManyFrames]: 'tooManyFrames',
	[CLOSE_CODES.screenedOut]: 'screenedOut',
	[CLOSE_CODES.quotaFull]: 'quotaFull'
};

/**
 * The sentence for a socket the server refused. The close code says which family (4401 covers
 * unknown, cancelled and disabled links); the `error` frame sent just before it says which one.
 */
export function refusalForClose(closeCode: number, errorCode: SocketErrorCode | null): RefusalKey {
	const reaction = errorCode ? SOCKET_ERROR_REACTIONS[errorCode] : undefined;
	const precise = reaction && 'refusal' in reaction ? reaction.refusal : undefined;
	return precise ?? BY_CLOSE_CODE[closeCode] ?? 'closed';
}
