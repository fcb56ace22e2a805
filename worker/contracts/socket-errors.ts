// No zod here: the respondent page imports this at runtime and stays small.
import { CLOSE_CODES } from './protocol-constants';

/**
 * Every `error` frame the interview and observer sockets can send, by code, with the close code that follows
 * it (null: the socket stays open). The server builds its refusals from this table and the
 * respondent page maps every code to words (a `Record` over these codes, so a new code the page
 * does not handle fails to compile).
 */
export const SOCKET_ERRORS = {
	// The link or the join is refused; the socket closes.
	unknown_link: CLOSE_CODES.unknownLink,
	link_cancelled: CLOSE_CODES.unknownLink,
	link_disabled: CLOSE_CODES.unknownLink,
	link_expired: CLOSE_CODES.expired,
	link_completed: CLOSE_CODES.noUsesLeft,
	no_uses_left: CLOSE_CODES.noUsesLeft,
	interview_ended: CLOSE_CODES.noUsesLeft,
	interviewer_offline: CLOSE_CODES.offline,
	insufficient_tokens: CLOSE_CODES.insufficientTokens,
	in_use: CLOSE_CODES.inUse,
	// The screener turned the respondent away, or the quota of their answers is full: nothing was written.
	screened_out: CLOSE_CODES.screenedOut,
	quota_full: CLOSE_CODES.quotaFull,
	// The join lacked an answer the link's screener asks for, or named an option it does not have.
	screener_incomplete: CLOSE_CODES.badFrame,
	replaced: CLOSE_CODES.replaced,
	email_required: CLOSE_CODES.badFrame,
	invalid_email: CLOSE_CODES.badFrame,
	consent_required: CLOSE_CODES.badFrame,
	hello_timeout: CLOSE_CODES.badFrame,
	too_many_bad_frames: CLOSE_CODES.badFrame,
	// A multi-use link's socket without a valid join ticket (none, another link's, or over a minute old).
	join_ticket_required: CLOSE_CODES.badFrame,
	too_many_frames: CLOSE_CODES.tooManyFrames,
	rejoin_locked: CLOSE_CODES.tooManyFrames,
	unavailable: CLOSE_CODES.unavailable,
	// A mistyped rejoin code: the socket stays open for another try.
	rejoin_code_invalid: null,
	rejoin_code_expired: null,
	// A frame the server could not use: it is ignored and the socket stays open.
	invalid_json: null,
	invalid_message: null,
	unknown_type: null,
	frame_too_large: null,
	bad_audio: null,
	unsupported_protocol: null,
	hello_required: null,
	audio_rate: null,
	// The interviewer's side had a problem; the respondent can go on by text.
	provider_error: null,
	provider_reconnecting: null,
	provider_auth: null,
	provider_unavailable: null,
	// Observer sockets only (`/ws/observe/:interviewId`); a respondent's socket never sends these.
	// No credentials, a revoked API key, an ended session, or a cookie sent from a page off the app's origin.
	observer_unauthenticated: CLOSE_CODES.observerUnauthenticated,
	// No such interview in the caller's workspace (another workspace's interview gets the same answer).
	interview_not_found: CLOSE_CODES.interviewNotFound,
	// Observers are read-only: every frame they send is answered with this, and a flood closes them (too_many_frames).
	observer_read_only: null
} as const satisfies Record<string, number | null>;

export type SocketErrorCode = keyof typeof SOCKET_ERRORS;
export const SOCKET_ERROR_CODES = Object.keys(SOCKET_ERRORS) as [SocketErrorCode, ...SocketErrorCode[]];
/** Codes whose error frame is followed by a close. */
export type RefusalCode = { [K in SocketErrorCode]: (typeof SOCKET_ERRORS)[K] extends null ? never : K }[SocketErrorCode];
