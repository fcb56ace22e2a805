/**
 * The server's one clock for dated decisions: link expiry at admission, the cron sweeps and the
 * link views all read `now()` here, so a test can move time instead of waiting a day for it.
 * Only tests and the loopback-only dev route (`POST /api/dev/clock`) call `setClockOffset`; a
 * deployed Worker has no way to reach it, so there the offset stays 0 and `now()` is `Date.now()`.
 * Running interviews keep their own time in their Durable Object.
 */
let offsetMs = 0;

export const now = (): number => Date.now() + offsetMs;

export const nowDate = (): Date => new Date(now());

export const clockOffset = (): number => offsetMs;

/** Moves the clock to `Date.now() + ms` for everything that reads `now()`; 0 puts it back. */
export function setClockOffset(ms: number): void {
	if (!Number.isFinite(ms)) throw new RangeError('The clock offset must be a finite number of milliseconds.');
	offsetMs = Math.trunc(ms);
}
