const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/** The wait before reconnect attempt `attempt` (1, 2, …): exponential up to 10 s, jittered so clients do not return in step. */
export function retryDelay(attempt: number): number {
	const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1));
	return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** A 4xxx close is the server's decision (a refusal, or the end of the interview): the client does not reconnect. */
export const isRefusal = (code: number) => code >= 4000 && code <= 4999;

/** The WebSocket URL of a path on this page's own origin. */
export function socketUrl(location: Location, path: string): string {
	const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
	return `${scheme}//${location.host}${path}`;
}
