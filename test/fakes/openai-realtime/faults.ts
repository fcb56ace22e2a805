/**
 * The ways the real service fails that the fake can produce on cue (`POST /__arm?match=…&fault=…`):
 * the errors themselves are worded as OpenAI words them.
 */
import type { RealtimeError, RealtimeResponseStatus } from 'openai/resources/realtime/realtime';

/** The errors a response can fail with, as `response.status_details.error`. */
export const RESPONSE_FAILURES = {
	server_error: {
		type: 'server_error',
		message:
			'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.'
	},
	rate_limit: {
		type: 'tokens',
		code: 'rate_limit_exceeded',
		message:
			'Rate limit reached for gpt-realtime in organization org-fake on tokens per min (TPM): Limit 40000, Used 40000, Requested 1180. Please try again in 600ms. Visit https://platform.openai.com/account/rate-limits to learn more.'
	},
	insufficient_quota: {
		type: 'insufficient_quota',
		code: 'insufficient_quota',
		message:
			'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.'
	},
	invalid_request: {
		type: 'invalid_request_error',
		code: 'invalid_value',
		message: 'The conversation could not be continued with the given input.'
	}
} satisfies Record<string, RealtimeResponseStatus.Error>;

/** `error` events of each type OpenAI sends; the session stays open after every one. */
export const ERROR_EVENTS = {
	invalid_request_error: { type: 'invalid_request_error', code: 'invalid_event', message: "The 'type' field is missing.", param: null },
	server_error: {
		type: 'server_error',
		code: null,
		message: 'The server had an error while processing your request. Sorry about that!',
		param: null
	},
	rate_limit: { type: 'tokens', code: 'rate_limit_exceeded', message: RESPONSE_FAILURES.rate_limit.message, param: null },
	insufficient_quota: {
		type: 'insufficient_quota',
		code: 'insufficient_quota',
		message: RESPONSE_FAILURES.insufficient_quota.message,
		param: null
	}
} satisfies Record<string, Omit<RealtimeError, 'event_id'>>;

export type Fault =
	/** The next response ends with `status: "failed"` and this error. */
	| { kind: 'response-failed'; error: keyof typeof RESPONSE_FAILURES }
	/** The next response stops halfway with `status: "incomplete"` for this reason. */
	| { kind: 'response-incomplete'; reason: 'max_output_tokens' | 'content_filter' }
	/** The next respondent item's transcription fails. */
	| { kind: 'transcription-failed' }
	/** The socket is cut after the next response's first audio. */
	| { kind: 'drop-mid-response' }
	/** The next response's audio starts this late. */
	| { kind: 'first-audio-late'; ms: number }
	/**
	 * The next user item is answered at once by a response the server starts itself (as server VAD does
	 * at the end of speech), which the client hears of only after its next event: the race in which a
	 * client's `response.create` meets a response it does not know about yet.
	 */
	| { kind: 'busy' }
	/** An `error` event of this type, sent at once. */
	| { kind: 'error'; error: keyof typeof ERROR_EVENTS }
	/** The next `response.create` is answered with an `error` event of this type (quoting its event id), and no response. */
	| { kind: 'response-refused'; error: keyof typeof ERROR_EVENTS };

const has = <T extends object>(table: T, key: string | undefined): key is Extract<keyof T, string> => key !== undefined && key in table;

/** `response-failed:server_error`, `first-audio-late:800`, `busy`, …; null when the fake does not know it. */
export function parseFault(text: string): Fault | null {
	const [kind, argument] = text.split(':');
	switch (kind) {
		case 'response-failed':
			return has(RESPONSE_FAILURES, argument) ? { kind, error: argument } : null;
		case 'response-incomplete':
			return argument === 'max_output_tokens' || argument === 'content_filter' ? { kind, reason: argument } : null;
		case 'first-audio-late':
			return Number(argument) > 0 ? { kind, ms: Number(argument) } : null;
		case 'error':
		case 'response-refused':
			return has(ERROR_EVENTS, argument) ? { kind, error: argument } : null;
		case 'transcription-failed':
		case 'drop-mid-response':
		case 'busy':
			return { kind };
		default:
			return null;
	}
}
