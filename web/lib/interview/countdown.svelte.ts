const TICK_MS = 250;

/**
 * How long before the deadline the interviewer is told to wrap up: a minute, or the last 20% of a
 * short interview. The Interview Durable Object wraps up at this same point (`wrapUpAt`).
 */
export const wrapUpLeadMs = (durationMinutes: number) => Math.min(60_000, Math.round(durationMinutes * 60_000 * 0.2));

/**
 * The server's remaining time, shown ticking down. Every `welcome` or `state` re-syncs it;
 * between them it counts locally from a monotonic clock.
 */
export class Countdown {
	remainingMs = $state<number | null>(null);

	private deadline = 0;
	private timer: ReturnType<typeof setInterval> | undefined;

	sync(remainingMs: number): void {
		this.deadline = performance.now() + remainingMs;
		this.remainingMs = Math.max(0, remainingMs);
		if (!this.timer && remainingMs > 0) this.timer = setInterval(() => this.tick(), TICK_MS);
	}

	stop(): void {
		clearInterval(this.timer);
		this.timer = undefined;
	}

	private tick(): void {
		const remaining = Math.max(0, this.deadline - performance.now());
		this.remainingMs = remaining;
		if (remaining === 0) this.stop();
	}
}

/** 5:07, or 1:02:03 past an hour. */
export function formatRemaining(remainingMs: number): string {
	const totalSeconds = Math.ceil(remainingMs / 1000);
	const hours = Math.floor(totalSeconds / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = String(totalSeconds % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
