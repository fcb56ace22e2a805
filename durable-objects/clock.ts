import type { SessionState } from './interview-store';

/** Nobody connected for this long ends the interview as abandoned. */
export const ABANDON_GRACE_MS = 2 * 60_000;
/** While someone is connected, the alarm still looks in this often: a crash leaves no close event behind. */
const WATCHDOG_MS = ABANDON_GRACE_MS;
/** The respondent's last activity is stored at most this often (it only has to be right to a few seconds). */
export const ACTIVITY_RESOLUTION_MS = 5_000;
/** A socket that has not said hello by then is closed. */
export const HELLO_TIMEOUT_MS = 15_000;

/** When the respondent was last known to be there, if nobody is connected now. */
export const lastSeen = (state: SessionState) => state.emptySince ?? state.lastActivityAt ?? state.startedAt;

/** The watchdog ticks every WATCHDOG_MS from the start, so rescheduling the alarm never moves it. */
const nextTick = (state: SessionState, now: number) =>
	state.startedAt + (Math.floor((now - state.startedAt) / WATCHDOG_MS) + 1) * WATCHDOG_MS;

/** The next thing the clock must do for a running interview: wrap up, end at the deadline, look for the respondent, or end an abandoned interview. */
export function nextCheckAt(state: SessionState, now: number): number {
	return Math.min(
		state.deadlineAt,
		state.wrapUpSent ? Infinity : state.wrapUpAt,
		state.emptySince !== null ? state.emptySince + ABANDON_GRACE_MS : nextTick(state, now)
	);
}

export type ClockDecision = { end: 'deadline' | 'abandoned' } | { wrapUp: true } | null;

/**
 * What a running interview's alarm does now. With nobody connected the interview ends once the
 * grace period has passed since the respondent was last seen (a close, or their last frame when
 * they vanished in a crash); otherwise it ends at the deadline and wraps up a little before.
 */
export function decide(state: SessionState, now: number, connected: boolean): ClockDecision {
	if (!connected && now >= lastSeen(state) + ABANDON_GRACE_MS)
		return { end: lastSeen(state) >= state.deadlineAt ? 'deadline' : 'abandoned' };
	if (now >= state.deadlineAt) return { end: 'deadline' };
	if (!state.wrapUpSent && now >= state.wrapUpAt) return { wrapUp: true };
	return null;
}

/** The wall-clock end of an interview: when it was asked to end, or when the respondent was last seen if nobody is there. */
export function endedAt(state: SessionState, now: number, connected: boolean): number {
	const end = Math.min(now, state.deadlineAt);
	return connected ? end : Math.min(lastSeen(state), end);
}
