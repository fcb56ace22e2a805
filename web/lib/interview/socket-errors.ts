import type { SocketErrorCode } from '$contracts/socket-errors';
import type { RefusalKey } from './i18n';

/** A problem shown above the answer box during the call (null: nothing to say). */
export type CallProblem = 'actionFailed' | 'interviewerTrouble';

/** What the page does with each error frame the server can send. */
export type SocketErrorReaction = { refusal: RefusalKey } | { verify: 'invalid' | 'expired' } | { problem: CallProblem | null };

/**
 * Every socket error code, mapped to the words the page shows. A `Record` over the contract's
 * codes: a code the server learns to send and the page does not handle fails to compile.
 */
export const SOCKET_ERROR_REACTIONS: Record<SocketErrorCode, SocketErrorReaction> = {
	unknown_link: { refusal: 'unknown' },
	link_cancelled: { refusal: 'cancelled' },
	link_disabled: { refusal: 'disabled' },
	link_expired: { refusal: 'expired' },
	link_completed: { refusal: 'completed' },
	no_uses_left: { refusal: 'used_up' },
	interview_ended: { refusal: 'completed' },
	interviewer_offline: { refusal: 'offline' },
	insufficient_tokens: { refusal: 'insufficientTokens' },
	in_use: { refusal: 'inUse' },
	screened_out: { refusal: 'screenedOut' },
	quota_full: { refusal: 'quotaFull' },
	// The page asks every question before it joins: a refused join means the screener changed meanwhile.
	screener_incomplete: { refusal: 'badRequest' },
	replaced: { refusal: 'closed' },
	email_required: { refusal: 'badRequest' },
	invalid_email: { refusal: 'badRequest' },
	consent_required: { refusal: 'badRequest' },
	hello_timeout: { refusal: 'closed' },
	too_many_bad_frames: { refusal: 'tooManyFrames' },
	// The page asks for a fresh ticket before every connection: a refused one means something else went wrong.
	join_ticket_required: { refusal: 'closed' },
	too_many_frames: { refusal: 'tooManyFrames' },
	rejoin_locked: { refusal: 'rejoinLocked' },
	unavailable: { refusal: 'closed' },
	rejoin_code_invalid: { verify: 'invalid' },
	rejoin_code_expired: { verify: 'expired' },
	invalid_json: { problem: 'actionFailed' },
	invalid_message: { problem: 'actionFailed' },
	unknown_type: { problem: 'actionFailed' },
	frame_too_large: { problem: 'actionFailed' },
	bad_audio: { problem: 'actionFailed' },
	unsupported_protocol: { problem: 'actionFailed' },
	hello_required: { problem: 'actionFailed' },
	// The server dropped audio the page sent ahead of the clock: nothing the respondent can act on.
	audio_rate: { problem: null },
	provider_error: { problem: 'interviewerTrouble' },
	provider_reconnecting: { problem: 'interviewerTrouble' },
	provider_auth: { problem: 'interviewerTrouble' },
	provider_unavailable: { problem: 'interviewerTrouble' },
	// Observer sockets only: the respondent's socket never sends these.
	observer_unauthenticated: { refusal: 'closed' },
	interview_not_found: { refusal: 'closed' },
	observer_read_only: { problem: null }
};
