import { fitBrief } from '../worker/ai/fit-brief';
import { spokenLanguage } from '../worker/ai/guide-language';
import { createProviderSession } from '../worker/ai/registry';
import { PROVIDER_ERRORS, type ProviderEvents, type ProviderSession, type ProviderTurn } from '../worker/ai/provider';
import { AUDIO_BURST_MS, BYTES_PER_MS, type Turn } from '../worker/contracts/protocol';
import { logError, logInfo } from '../worker/lib/log';
import { redactSecrets } from '../worker/lib/redact';
import type { InterviewStore, SessionState } from './interview-store';
import type { Moderator } from './moderator';
import { Recording } from './recording';
import { broadcast } from './sockets';

export const toWireTurn = (turn: Turn): Turn => ({
	id: turn.id,
	role: turn.role,
	text: turn.text,
	final: turn.final,
	at: turn.at,
	transcribed: turn.transcribed
});

/**
 * The live half of an interview: the provider session, the audio recorders, and the path from
 * provider events to stored turns and browser frames. Rebuilt from storage after a restart.
 */
export class Conversation {
	private provider: ProviderSession | null = null;
	private starting: Promise<void> | null = null;
	private readonly recording: Recording;
	/** Respondent frames dropped for running ahead of the clock, not yet added to the stored counters. */
	private droppedFrames = 0;
	/** The language the provider speaks the guide in (its translations), fixed when its session opens. */
	private language: string | null = null;

	constructor(
		private readonly env: Env,
		private readonly store: InterviewStore,
		private readonly moderator: Moderator,
		private readonly sockets: () => WebSocket[],
		private readonly onFinished: () => void,
		/** Told every turn after the respondent's sockets were: the observers get it, redacted, from here. */
		private readonly turnSent: (turn: Turn, state: SessionState) => void
	) {
		this.recording = new Recording(store);
	}

	/**
	 * Stores a turn before anyone depends on it, then sends it to every joined socket, then to observers.
	 * The respondent sees their own words as said; observers see them redacted (invariant 21).
	 */
	recordTurn(state: SessionState, input: ProviderTurn): Turn {
		const turn = this.store.putTurn({
			id: input.key,
			role: input.role,
			text: input.text,
			final: input.final,
			at: input.startMs !== undefined ? state.startedAt + Math.round(input.startMs) : Date.now(),
			transcribed: input.transcribed ?? true,
			startMs: input.startMs ?? null,
			endMs: input.endMs ?? null
		});
		const wire = toWireTurn(turn);
		broadcast(this.sockets(), { type: 'turn', ...wire });
		this.turnSent(wire, state);
		if (turn.role === 'respondent' && turn.final) this.pace(state);
		return turn;
	}

	/** After each answer: if the current section ran over its budget, the interviewer hears it should move on. */
	private pace(state: SessionState): void {
		const pacing = this.moderator.pacing(state, this.language);
		if (pacing) this.provider?.steer?.(pacing.note, pacing.next);
	}

	private events(state: SessionState): ProviderEvents {
		return {
			turn: (turn) => void this.recordTurn(state, turn),
			audio: (pcm) => {
				this.recording.push('interviewer', pcm, Date.now() - state.startedAt);
				broadcast(this.sockets(), pcm);
			},
			speechStarted: () => broadcast(this.sockets(), { type: 'playback.flush' }),
			finished: () => this.onFinished(),
			progress: (report) => this.moderator.report(state, report),
			requestEnd: (reason) => {
				const reply = this.moderator.requestEnd(state, reason);
				if (reply.accepted) this.onFinished();
				return reply;
			},
			error: (code, detail) => {
				logError('provider.error', new Error(redactSecrets(detail, [this.env.OPENAI_API_KEY])), { code, interviewId: state.interviewId });
				broadcast(this.sockets(), { type: 'error', code, message: PROVIDER_ERRORS[code] });
			},
			usage: (usage) => this.addUsage(usage)
		};
	}

	/** Whether the provider session is open and not still starting: the audio path then skips `ensureStarted`, and its await. */
	get isStarted(): boolean {
		return this.provider !== null && this.starting === null;
	}

	/** Opens the provider session once; a new conversation gets the interviewer's opening turn. */
	async ensureStarted(state: SessionState): Promise<void> {
		if (this.provider) return this.starting ?? undefined;
		const store = this.store;
		const fitted = fitBrief(state.provider, state.brief);
		this.language = spokenLanguage(fitted.brief);
		if (fitted.substitutions.length > 0) {
			logInfo('provider.brief_fitted', { provider: state.provider, interviewId: state.interviewId, substitutions: fitted.substitutions });
		}
		this.provider = createProviderSession(state.provider, this.env, {
			brief: fitted.brief,
			get history() {
				return store.turns();
			},
			remainingMs: () => Math.max(0, state.deadlineAt - Date.now()),
			elapsedMs: () => Date.now() - state.startedAt,
			memory: {
				get: (key) => this.store.getMeta(`provider:${key}`),
				set: (key, value) => this.store.setMeta(`provider:${key}`, value)
			},
			events: this.events(state),
			questions: () => this.moderator.questions(this.language)
		});
		this.starting = this.provider.start();
		try {
			await this.starting;
		} finally {
			this.starting = null;
		}
	}

	private addUsage(usage: Record<string, number>): void {
		const total = this.store.getMeta<Record<string, number>>('usage') ?? {};
		for (const [key, value] of Object.entries(usage)) total[key] = (total[key] ?? 0) + value;
		this.store.setMeta('usage', total);
	}

	/**
	 * Respondent audio, paced against the clock: the recording may run ahead of the wall clock by
	 * at most AUDIO_BURST_MS, so a client that sends faster than real time cannot grow storage (or
	 * what the provider hears) past the interview's length. Returns false for a dropped frame.
	 */
	audioIn(state: SessionState, pcm: ArrayBuffer): boolean {
		const endMs = Date.now() - state.startedAt;
		if (this.recording.track('respondent').wouldEndAfter(pcm.byteLength, endMs, endMs + AUDIO_BURST_MS)) {
			this.droppedFrames += 1;
			return false;
		}
		this.recording.push('respondent', pcm, endMs);
		this.provider?.sendAudio(pcm, endMs - pcm.byteLength / BYTES_PER_MS);
		return true;
	}

	textIn(state: SessionState, content: string): void {
		this.recordTurn(state, { key: `typed-${crypto.randomUUID()}`, role: 'respondent', text: content, final: true });
		this.provider?.sendText(content);
	}

	wrapUp(state: SessionState): void {
		this.provider?.wrapUp(Math.max(0, state.deadlineAt - Date.now()), this.moderator.lastQuestion(this.language));
	}

	flushAudio(): void {
		this.recording.flush();
		if (this.droppedFrames > 0) {
			this.addUsage({ 'parley.audio_frames_dropped': this.droppedFrames });
			this.droppedFrames = 0;
		}
	}

	/** After close, for a new interview in the same object: its recordings start from nothing. */
	forget(): void {
		this.recording.forget();
		this.droppedFrames = 0;
	}

	async close(): Promise<void> {
		this.flushAudio();
		const provider = this.provider;
		this.provider = null;
		await provider?.close();
	}
}
