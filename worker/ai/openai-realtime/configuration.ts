/**
 * Configuring an upstream session: our `session.update`, its answer, and the fallback when OpenAI
 * refuses semantic VAD. A refused update leaves the session as it was (OpenAI's defaults on a new
 * one), so replies wait for the answer: a greeting asked for before it would speak without our
 * instructions, in a voice that could then no longer change.
 */
import type { RealtimeError, SessionUpdateEvent } from 'openai/resources/realtime/realtime';
import { clientEventId, type TurnDetectionMode } from './client-events';

/** What an `error` meant for the configuration. */
export type ConfigurationAnswer =
	/** Not about our pending `session.update`. */
	| 'unrelated'
	/** Semantic VAD was refused: the update went again with server VAD. */
	| 'fallback'
	/** The update was refused for another reason: the session keeps its previous configuration. */
	| 'refused';

export class SessionConfiguration {
	/** Once OpenAI refused semantic VAD, every later session of this interview asks for server VAD. */
	private mode: TurnDetectionMode = 'semantic_vad';
	private pendingId: string | null = null;

	constructor(
		private readonly build: (mode: TurnDetectionMode, eventId: string) => SessionUpdateEvent,
		private readonly send: (event: SessionUpdateEvent) => void
	) {}

	/** A new upstream session: configure it. */
	open(): void {
		this.pendingId = clientEventId('session');
		this.send(this.build(this.mode, this.pendingId));
	}

	/** `session.updated`: returns whether it answered our pending update (the session now runs it). */
	updated(): boolean {
		if (!this.pendingId) return false;
		this.pendingId = null;
		return true;
	}

	/** An `error` event: whether it refused our pending update, and what was done about it. */
	refused(error: RealtimeError): ConfigurationAnswer {
		if (!this.pendingId || error.event_id !== this.pendingId) return 'unrelated';
		if (this.mode === 'semantic_vad' && error.param?.startsWith('session.audio.input.turn_detection')) {
			this.mode = 'server_vad';
			this.open();
			return 'fallback';
		}
		this.pendingId = null;
		return 'refused';
	}
}
