/**
 * What a failed response or a refused request from OpenAI means for the interview: whether asking
 * once more can help, and after how long. Quota, rate limits and server errors arrive as a
 * `response.done` whose status is `failed` (or as an `error` answering our `response.create`).
 */
import type { RateLimitsUpdatedEvent } from 'openai/resources/realtime/realtime';

/** The error of a failed response or of an `error` event: what both carry that matters here. */
export type ProviderFailure = { type?: string | null; code?: string | null; message?: string | null };

/** A server error is usually gone a moment later. */
const SERVER_ERROR_RETRY_MS = 1_000;
/**
 * The longest wait for a rate limit to reset that is still worth a retry: past it the respondent
 * has waited too long in silence, has been told to go on (or type), and their next answer asks anew.
 */
export const MAX_RETRY_WAIT_MS = 15_000;

const isRateLimit = ({ type, code }: ProviderFailure) =>
	code === 'rate_limit_exceeded' || type === 'rate_limit_error' || type === 'requests' || type === 'tokens';

const UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** "… Please try again in 1m26.4s." (or 6s, 820ms): the wait OpenAI's rate-limit messages name. */
export function retryWindowOf(message: string | null | undefined): number | null {
	const window = /try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(message ?? '')?.[1];
	if (!window) return null;
	let total = 0;
	for (const [, amount, unit] of window.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(amount) * UNITS_MS[unit!]!;
	return Math.ceil(total);
}

/** When the last `rate_limits.updated` showed a limit used up: how long until it resets. */
function exhaustedWindowOf(limits: readonly RateLimitsUpdatedEvent.RateLimit[]): number | null {
	const exhausted = limits.filter((limit) => limit.remaining !== undefined && limit.remaining <= 0 && limit.reset_seconds !== undefined);
	if (exhausted.length === 0) return null;
	return Math.ceil(Math.max(...exhausted.map((limit) => limit.reset_seconds!)) * 1000);
}

/**
 * How long to wait before asking for the reply once more, or null when asking again cannot help: an
 * exhausted quota, a request OpenAI refused as invalid, a rate limit that will not reset soon.
 */
export function retryDelayMs(failure: ProviderFailure, limits: readonly RateLimitsUpdatedEvent.RateLimit[]): number | null {
	if (failure.type === 'insufficient_quota' || failure.code === 'insufficient_quota') return null;
	if (failure.type === 'server_error' || failure.code === 'server_error') return SERVER_ERROR_RETRY_MS;
	if (!isRateLimit(failure)) return null;
	const wait = retryWindowOf(failure.message) ?? exhaustedWindowOf(limits);
	return wait !== null && wait <= MAX_RETRY_WAIT_MS ? wait : null;
}

/** For the log (the caller scrubs it of secrets): the type, the code and OpenAI's message. */
export const describeFailure = (what: string, failure: ProviderFailure) =>
	`${what}: ${failure.type ?? 'error'} ${failure.code ?? ''}: ${failure.message ?? 'no message'}`;
