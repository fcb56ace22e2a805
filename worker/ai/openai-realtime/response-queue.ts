/**
 * The one rule of taking turns with OpenAI Realtime: a single response at a time. A reply asked for
 * while one is being generated, or before the session runs our configuration, is asked for once
 * that is over; a response that failed for a passing reason is asked for once more.
 */
import type { ResponseCreateEvent } from 'openai/resources/realtime/realtime';
import { clientEventId, createResponse } from './client-events';

export class ResponseQueue {
	private active = false;
	private wanted = false;
	/** Our `session.update` was answered: a response now speaks with our instructions and voice. */
	private configured = false;
	/** The current run of failures has had its one retry; a response that completes ends the run. */
	private retried = false;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	/** The event id of our last `response.create`, to know an `error` about it. */
	private lastCreateId: string | null = null;

	constructor(private readonly send: (event: ResponseCreateEvent) => void) {}

	/** Whether a response is being generated (a fresh upstream session rotates only between them). */
	get isActive(): boolean {
		return this.active;
	}

	/** A fresh upstream session: nothing in flight, nothing configured, no retry pending. */
	reset(): void {
		this.active = false;
		this.wanted = false;
		this.configured = false;
		this.lastCreateId = null;
		this.cancelRetry();
	}

	/** The session now runs our configuration (or keeps its own, which refused ours): a reply asked for meanwhile is asked for now. */
	ready(): void {
		this.configured = true;
		this.flush();
	}

	/** Asks for a reply, now or as soon as it can be; a fresh request replaces a pending retry. */
	request(): void {
		this.cancelRetry();
		this.wanted = true;
		this.flush();
	}

	/** A response started: ours, or one server VAD created at the end of the respondent's speech. */
	started(): void {
		this.active = true;
	}

	/**
	 * A response ended (or was refused before it began). A completed one ends a run of failures.
	 * Returns whether a reply asked for meanwhile went out now.
	 */
	done(status: string | undefined): boolean {
		this.active = false;
		if (status === 'completed') this.retried = false;
		return this.flush();
	}

	/**
	 * OpenAI refused our `response.create` because a response is already active: one server VAD
	 * started that we had not heard of yet. Ours is asked for again when that one is done.
	 */
	busy(): void {
		this.active = true;
		this.wanted = true;
	}

	/** Whether an `error` is about our last `response.create` (then no response is coming from it: see `done`). */
	refused(eventId: string | null | undefined): boolean {
		if (!eventId || eventId !== this.lastCreateId) return false;
		this.lastCreateId = null;
		return true;
	}

	/** A reply failed: ask once more after `delayMs` (null: asking again cannot help). */
	failed(delayMs: number | null): void {
		if (delayMs === null || this.retried || this.retryTimer) return;
		this.retried = true;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.wanted = true;
			this.flush();
		}, delayMs);
	}

	close(): void {
		this.cancelRetry();
	}

	private cancelRetry(): void {
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
	}

	private flush(): boolean {
		if (!this.wanted || this.active || !this.configured) return false;
		this.wanted = false;
		this.active = true;
		this.lastCreateId = clientEventId('response');
		this.send(createResponse(this.lastCreateId));
		return true;
	}
}
