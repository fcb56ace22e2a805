import { DurableObject } from 'cloudflare:workers';
import { PROVIDER_ERRORS } from '../worker/ai/provider';
import { enqueueJob } from '../worker/jobs/queue';
import { PROTOCOL_VERSION, type ClientMessage } from '../worker/contracts/protocol';
import { createDatabase } from '../worker/db/client';
import { ApiError, errorResponse } from '../worker/lib/errors';
import { logError } from '../worker/lib/log';
import { closeEnded, closeQuietly, isWebSocketUpgrade, refuse, sendMessage, type SocketError } from '../worker/lib/socket';
import { completeInterview } from '../worker/services/interviews';
import type { Hello } from '../worker/services/interviews';
import { archiveAudio, archiveTranscript } from './archive';
import { ACTIVITY_RESOLUTION_MS, decide, endedAt, HELLO_TIMEOUT_MS, lastSeen, nextCheckAt } from './clock';
import { Conversation, toWireTurn } from './conversation';
import { Moderator } from './moderator';
import { PlanStore } from './plan-store';
import { admit, ADMISSION_HEADER } from './join';
import { InterviewStore, type SessionState } from './interview-store';
import { parseClientFrame } from '../worker/lib/frames';
import { MalformedFrameCounter, TextFrameLimiter } from '../worker/lib/socket-limits';
import { broadcast, RespondentSockets, type Admission, type Attachment } from './sockets';
import { OBSERVATION_HEADER, Observers, type Observation } from './observers';

const FINALIZE_RETRY_MS = 15_000;
const NO_ADMISSION: Admission = { linkId: null, token: null, interviewId: null, resumeToken: null };
const AUDIO_RATE: SocketError = { code: 'audio_rate', message: 'Audio arrived faster than real time; the extra was dropped.' };

/**
 * One object per interview (per single-use link, or per admitted interview of a multi-use link).
 * It holds the state machine: join and rejoin by email, the server-side countdown (a persisted
 * deadline and an alarm), turns stored before they are sent, and completion exactly once.
 */
export class Interview extends DurableObject<Env> {
	private readonly store: InterviewStore;
	private readonly moderator: Moderator;
	private readonly conversation: Conversation;
	private readonly observers: Observers;
	private readonly textLimiter = new TextFrameLimiter();
	private readonly malformed = new MalformedFrameCounter();
	private readonly respondents = new RespondentSockets((error) => logError('interview.socket_event_failed', error));
	/** Sockets already told that their audio runs ahead of the clock (told once each). */
	private readonly toldAudioRate = new WeakSet<WebSocket>();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new InterviewStore(ctx.storage);
		this.observers = new Observers(ctx, env, this.store, () => this.moderator.view());
		this.moderator = new Moderator(new PlanStore(ctx.storage), this.store, (coverage) =>
			this.observers.forward({ type: 'coverage', coverage })
		);
		this.conversation = new Conversation(
			env,
			this.store,
			this.moderator,
			() => this.respondents.joined(),
			() => void this.finalize('completed'),
			(turn, state) => this.observers.forwardTurn(turn, state)
		);
	}

	private remainingMs(state: SessionState): number {
		return Math.max(0, state.deadlineAt - Date.now());
	}

	override async fetch(request: Request): Promise<Response> {
		if (!isWebSocketUpgrade(request)) return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'));
		const observation = request.headers.get(OBSERVATION_HEADER);
		if (observation) return this.observers.accept(JSON.parse(observation) as Observation);
		const admission = JSON.parse(request.headers.get(ADMISSION_HEADER) ?? 'null') as Admission | null;
		const { 0: client, 1: server } = new WebSocketPair();
		this.respondents.accept(server, admission ?? NO_ADMISSION, {
			frame: (socket, frame) => this.onFrame(socket, frame),
			closed: (attachment) => this.onClosed(attachment)
		});
		await this.scheduleAlarm();
		return new Response(null, { status: 101, webSocket: client });
	}

	/** Only observers' sockets are hibernatable: anything they send is answered, never acted on. */
	override webSocketMessage(socket: WebSocket): void {
		this.observers.ignoreFrame(socket);
	}

	override webSocketClose(socket: WebSocket, code: number): void {
		closeQuietly(socket, code, 'closing');
	}

	override webSocketError(socket: WebSocket): void {
		closeQuietly(socket, 1000, 'closing');
	}

	/**
	 * A frame from a respondent's socket: `hello`, then audio and control messages. Audio, every
	 * 40 ms, is relayed at once, with no promise made, once the provider session is open.
	 */
	private onFrame(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> | void {
		const parsed = parseClientFrame(frame);
		if (parsed.kind === 'invalid') {
			if (this.malformed.tooMany(socket)) return refuse(socket, this.malformed.refusal);
			return sendMessage(socket, { type: 'error', code: parsed.code, message: parsed.message });
		}
		if (parsed.kind === 'message' && !this.textLimiter.allow(socket)) {
			return refuse(socket, { code: 'too_many_frames', message: 'Too many messages; reconnect to continue.' });
		}
		const message = parsed.kind === 'message' ? parsed.message : null;
		if (message?.type === 'hello') return this.onHello(socket, message);
		const state = this.store.session;
		const attachment = this.respondents.attachment(socket);
		if (!attachment.joined || !state) {
			if (this.malformed.tooMany(socket)) return refuse(socket, this.malformed.refusal);
			return sendMessage(socket, { type: 'error', code: 'hello_required', message: 'Send hello first.' });
		}
		this.noteActivity(state);
		if (parsed.kind === 'audio') return attachment.muted ? undefined : this.onAudio(socket, state, parsed.pcm);
		if (message) return this.onControl(socket, state, message);
	}

	/** The respondent is there: remembered every few seconds, so a crash is charged from here, not from the deadline. */
	private noteActivity(state: SessionState): void {
		const now = Date.now();
		if (state.status === 'active' && now - (state.lastActivityAt ?? 0) >= ACTIVITY_RESOLUTION_MS)
			this.store.updateSession({ lastActivityAt: now });
	}

	/** Audio from a joined, unmuted socket. */
	private onAudio(socket: WebSocket, state: SessionState, pcm: ArrayBuffer): Promise<void> | void {
		if (state.status !== 'active') return;
		if (!this.conversation.isStarted) return this.conversation.ensureStarted(state).then(() => this.relayAudio(socket, state, pcm));
		this.relayAudio(socket, state, pcm);
	}

	private relayAudio(socket: WebSocket, state: SessionState, pcm: ArrayBuffer): void {
		if (this.conversation.audioIn(state, pcm) || this.toldAudioRate.has(socket)) return;
		this.toldAudioRate.add(socket);
		sendMessage(socket, { type: 'error', ...AUDIO_RATE });
	}

	private async onControl(socket: WebSocket, state: SessionState, message: Exclude<ClientMessage, { type: 'hello' }>): Promise<void> {
		switch (message.type) {
			case 'ping': {
				const reply = {
					type: 'state',
					status: state.status === 'finalizing' ? 'completed' : state.status,
					remainingMs: this.remainingMs(state)
				} as const;
				sendMessage(socket, reply);
				// Observers get every state the respondent does; these keep their countdown on the server's clock.
				return this.observers.forward(reply);
			}
			case 'text':
				if (state.status !== 'active') return;
				await this.conversation.ensureStarted(state);
				this.conversation.textIn(state, message.content);
				return;
			case 'mute':
				this.respondents.update(socket, { muted: message.on });
				return;
			case 'leave':
				await this.finalize('left');
		}
	}

	private async onHello(socket: WebSocket, hello: Hello): Promise<void> {
		const outcome = await this.ctx.blockConcurrencyWhile(() =>
			admit(this.env, this.store, this.respondents.attachment(socket).admission, hello)
		);
		if (!outcome.ok) return refuse(socket, outcome.refusal);
		const state = outcome.state;
		if (state.status === 'active') this.moderator.start(state);
		for (const other of this.respondents.joined()) {
			if (other !== socket) refuse(other, { code: 'replaced', message: 'This interview continued in another tab or device.' });
		}
		this.respondents.update(socket, { joined: true, email: state.email });
		if (state.status === 'active') this.store.updateSession({ emptySince: null, lastActivityAt: Date.now() });
		sendMessage(socket, {
			type: 'welcome',
			protocol: PROTOCOL_VERSION,
			interview: state.interviewId,
			status: state.status === 'finalizing' ? 'completed' : state.status,
			remainingMs: this.remainingMs(state),
			transcript: this.store.turns().map(toWireTurn),
			provider: state.provider,
			...(outcome.resumeToken ? { resumeToken: outcome.resumeToken } : {})
		});
		await this.scheduleAlarm();
		try {
			await this.conversation.ensureStarted(state);
		} catch (error) {
			logError('provider.start_failed', error, { interviewId: state.interviewId });
			sendMessage(socket, { type: 'error', code: 'provider_unavailable', message: PROVIDER_ERRORS.provider_unavailable });
		}
	}

	/** A respondent's socket is gone: when it was the last joined one, the interview is empty from now. */
	private async onClosed(attachment: Attachment): Promise<void> {
		this.conversation.flushAudio();
		const state = this.store.session;
		if (state?.status === 'active' && attachment.joined && this.respondents.joined().length === 0) {
			this.store.updateSession({ emptySince: Date.now() });
			await this.scheduleAlarm();
		}
	}

	/** Sockets that connected but never said hello within the timeout; the time the next one is due. */
	private closeSilentSockets(now: number): number {
		let next = Infinity;
		for (const socket of this.respondents.all()) {
			const { joined, connectedAt } = this.respondents.attachment(socket);
			if (joined) continue;
			const due = connectedAt + HELLO_TIMEOUT_MS;
			if (due <= now) refuse(socket, { code: 'hello_timeout', message: 'Send hello to join the interview.' });
			else next = Math.min(next, due);
		}
		return next;
	}

	/** The alarm serves the interview's clock and the hello timeout of sockets that have not joined. */
	private async scheduleAlarm(): Promise<void> {
		const now = Date.now();
		const state = this.store.session;
		const next = Math.min(this.closeSilentSockets(now), state?.status === 'active' ? nextCheckAt(state, now) : Infinity);
		if (next !== Infinity) await this.ctx.storage.setAlarm(next);
	}

	override async alarm(): Promise<void> {
		const state = this.store.session;
		if (state?.status === 'finalizing') return this.finalize(state.endReason ?? 'deadline');
		if (state?.status === 'active') {
			const connected = this.respondents.joined().length > 0;
			// Nobody is connected yet nobody closed: the respondent vanished (a crash); they were last seen at their last frame.
			const current = !connected && state.emptySince === null ? this.store.updateSession({ emptySince: lastSeen(state) }) : state;
			const decision = decide(current, Date.now(), connected);
			if (decision && 'end' in decision) return this.finalize(decision.end);
			if (decision?.wrapUp) {
				const updated = this.store.updateSession({ wrapUpSent: true });
				// A provider that failed to start at the join is tried again here, to hear the note.
				if (connected)
					await this.conversation
						.ensureStarted(updated)
						.catch((error) => logError('provider.start_failed', error, { interviewId: updated.interviewId }));
				this.conversation.wrapUp(updated);
				const notice = { type: 'state', status: 'active', remainingMs: this.remainingMs(updated) } as const;
				broadcast(this.respondents.joined(), notice);
				this.observers.forward(notice);
			}
		}
		await this.scheduleAlarm();
	}

	/**
	 * The cron sweep's call for an interview D1 still shows running well past its deadline (its
	 * alarm was lost). Ends it as the alarm would have; `no_session` when this object never started
	 * it, which the sweep settles in D1 alone.
	 */
	async endOverdue(): Promise<'ended' | 'no_session'> {
		const state = this.store.session;
		if (!state) return 'no_session';
		const connected = this.respondents.joined().length > 0;
		if (state.status === 'active' && !connected && state.emptySince === null) this.store.updateSession({ emptySince: lastSeen(state) });
		const current = this.store.session!;
		const reason =
			current.status === 'active' && !connected && lastSeen(current) < current.deadlineAt ? 'abandoned' : (current.endReason ?? 'deadline');
		await this.finalize(reason);
		return 'ended';
	}

	/**
	 * Ends the interview exactly once, however often it is called (alarms are at-least-once):
	 * the end is persisted first, then R2, then one D1 batch whose every write is guarded.
	 */
	async finalize(reason: string): Promise<void> {
		await this.ctx.blockConcurrencyWhile(async () => {
			let state = this.store.session;
			if (!state || state.status === 'completed' || state.status === 'abandoned') return;
			if (state.status === 'active') {
				state = this.store.updateSession({
					status: 'finalizing',
					endReason: reason,
					endedAt: endedAt(state, Date.now(), this.respondents.joined().length > 0)
				});
				await this.ctx.storage.setAlarm(Date.now() + FINALIZE_RETRY_MS);
			}
			await this.conversation.close();
			const [archived, audioKey] = await Promise.all([
				archiveTranscript(this.env, this.store, state),
				archiveAudio(this.env, this.store, state, 'respondent'),
				archiveAudio(this.env, this.store, state, 'interviewer')
			]);
			const status = state.endReason === 'abandoned' ? 'abandoned' : 'completed';
			const { empty } = await completeInterview(this.env, createDatabase(this.env.DB), {
				interviewId: state.interviewId,
				workspaceId: state.workspaceId,
				projectId: state.projectId,
				interviewerId: state.interviewerId,
				linkId: state.linkId,
				linkKind: state.linkKind,
				linkName: state.linkName,
				email: state.email,
				status,
				endReason: state.endReason ?? reason,
				endedAt: state.endedAt ?? Date.now(),
				usedMs: Math.max(0, (state.endedAt ?? Date.now()) - state.startedAt),
				reservation: state.reservation,
				shareTokens: state.shareTokens,
				transcriptKey: archived.key,
				redaction: archived.redaction,
				audioKey,
				turns: this.store.turns(),
				usage: this.store.getMeta<Record<string, number>>('usage') ?? null,
				coverage: this.moderator.view(),
				language: state.brief.language === 'auto' ? (state.brief.respondentLanguage ?? null) : state.brief.language
			});
			await enqueueJob(this.env, {
				type: 'interview.completed',
				workspaceId: state.workspaceId,
				projectId: state.projectId,
				interviewId: state.interviewId
			});
			this.store.updateSession({ status });
			await this.ctx.storage.deleteAlarm();
			const respondents = this.respondents.all();
			broadcast(respondents, { type: 'ended', reason: state.endReason ?? reason });
			for (const socket of respondents) closeEnded(socket);
			this.respondents.forgetJoined();
			await this.observers.end(state.interviewId, state.endReason ?? reason);
			// Nobody answered: the single-use link is pending again, and its object forgets this interview so the respondent can start over.
			if (empty && state.linkKind === 'single') this.forgetInterview();
		});
	}

	private forgetInterview(): void {
		this.conversation.forget();
		this.moderator.forget();
		this.store.forget();
	}
}
