import { DurableObject } from 'cloudflare:workers';
import { enqueueJob } from '../worker/jobs/consumer';
import { CLOSE_CODES, PROTOCOL_VERSION, type ClientMessage } from '../worker/contracts/protocol';
import { createDatabase } from '../worker/db/client';
import { ApiError, errorResponse } from '../worker/lib/errors';
import { logError } from '../worker/lib/log';
import { isWebSocketUpgrade } from '../worker/lib/request-guards';
import { closeEnded, refuse, sendMessage } from '../worker/lib/socket';
import { completeInterview } from '../worker/services/interview-completion';
import { archiveAudio, archiveTranscript } from './archive';
import { Conversation, toWireTurn } from './conversation';
import { parseClientFrame } from './frames';
import { admit, ADMISSION_HEADER, type Hello } from './join';
import { InterviewStore, type SessionState } from './interview-store';
import { attachmentOf, broadcast, joinedSockets, setAttachment, TextFrameLimiter, type Admission } from './sockets';

/** Nobody connected for this long ends the interview as abandoned. */
export const ABANDON_GRACE_MS = 2 * 60_000;
const FINALIZE_RETRY_MS = 15_000;

/**
 * One object per interview (per single-use link, or per admitted interview of a multi-use link).
 * It holds the state machine: join and rejoin by email, the server-side countdown (a persisted
 * deadline and an alarm), turns stored before they are sent, and completion exactly once.
 */
export class Interview extends DurableObject<Env> {
	private readonly store: InterviewStore;
	private readonly conversation: Conversation;
	private readonly textLimiter = new TextFrameLimiter();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new InterviewStore(ctx.storage);
		this.conversation = new Conversation(env, this.store, () => this.joined(), () => void this.finalize('completed'));
	}

	private joined(): WebSocket[] {
		return joinedSockets(this.ctx.getWebSockets());
	}

	private remainingMs(state: SessionState): number {
		return Math.max(0, state.deadlineAt - Date.now());
	}

	override async fetch(request: Request): Promise<Response> {
		if (!isWebSocketUpgrade(request)) return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'));
		const admission = JSON.parse(request.headers.get(ADMISSION_HEADER) ?? 'null') as Admission | null;
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		server.serializeAttachment({ admission: admission ?? { linkId: null, interviewId: null, resumeToken: null }, joined: false, email: null });
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> {
		const parsed = parseClientFrame(frame);
		if (parsed.kind === 'invalid') return sendMessage(socket, { type: 'error', code: parsed.code, message: parsed.message });
		if (parsed.kind === 'message' && !this.textLimiter.allow(socket)) {
			return refuse(socket, { closeCode: CLOSE_CODES.tooManyFrames, code: 'too_many_frames', message: 'Too many messages; reconnect to continue.' });
		}
		const message = parsed.kind === 'message' ? parsed.message : null;
		if (message?.type === 'hello') return this.onHello(socket, message);
		const state = this.store.session;
		if (!attachmentOf(socket).joined || !state) {
			return sendMessage(socket, { type: 'error', code: 'hello_required', message: 'Send hello first.' });
		}
		if (parsed.kind === 'audio') {
			if (state.status !== 'active' || attachmentOf(socket).muted) return;
			await this.conversation.ensureStarted(state);
			this.conversation.audioIn(state, parsed.pcm);
			return;
		}
		if (message) await this.onControl(socket, state, message);
	}

	private async onControl(socket: WebSocket, state: SessionState, message: Exclude<ClientMessage, { type: 'hello' }>): Promise<void> {
		switch (message.type) {
			case 'ping':
				return sendMessage(socket, { type: 'state', status: state.status === 'finalizing' ? 'completed' : state.status, remainingMs: this.remainingMs(state) });
			case 'text':
				if (state.status !== 'active') return;
				await this.conversation.ensureStarted(state);
				this.conversation.textIn(state, message.content);
				return;
			case 'mute':
				setAttachment(socket, { muted: message.on });
				return;
			case 'leave':
				await this.finalize('left');
		}
	}

	private async onHello(socket: WebSocket, hello: Hello): Promise<void> {
		const outcome = await this.ctx.blockConcurrencyWhile(() => admit(this.env, this.store, socket, hello));
		if (!outcome.ok) return refuse(socket, outcome.refusal);
		const state = outcome.state;
		for (const other of this.joined()) {
			if (other !== socket) refuse(other, { closeCode: CLOSE_CODES.replaced, code: 'replaced', message: 'This interview continued in another tab or device.' });
		}
		setAttachment(socket, { joined: true, email: state.email });
		if (state.emptySince !== null) this.store.updateSession({ emptySince: null });
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
			sendMessage(socket, { type: 'error', code: 'provider_unavailable', message: 'The interviewer could not connect. We keep trying; you can also type your answers.' });
		}
	}

	override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
		if (code === 1005 || code === 1006) socket.close();
		else if (code < 4000) socket.close(code, 'closing');
		this.conversation.flushAudio();
		const state = this.store.session;
		if (state?.status === 'active' && attachmentOf(socket).joined && this.joined().length === 0) {
			this.store.updateSession({ emptySince: Date.now() });
			await this.scheduleAlarm();
		}
	}

	override async webSocketError(socket: WebSocket): Promise<void> {
		await this.webSocketClose(socket, 1006);
	}

	/** The next thing the clock must do: wrap up, end at the deadline, or end an abandoned interview. */
	private async scheduleAlarm(): Promise<void> {
		const state = this.store.session;
		if (!state || state.status !== 'active') return;
		const candidates = [state.deadlineAt, state.wrapUpSent ? Infinity : state.wrapUpAt, state.emptySince !== null ? state.emptySince + ABANDON_GRACE_MS : Infinity];
		await this.ctx.storage.setAlarm(Math.min(...candidates));
	}

	override async alarm(): Promise<void> {
		const state = this.store.session;
		if (!state) return;
		if (state.status === 'finalizing') return this.finalize(state.endReason ?? 'deadline');
		if (state.status !== 'active') return;
		const now = Date.now();
		if (now >= state.deadlineAt) return this.finalize('deadline');
		if (state.emptySince !== null && now >= state.emptySince + ABANDON_GRACE_MS && this.joined().length === 0) return this.finalize('abandoned');
		if (!state.wrapUpSent && now >= state.wrapUpAt) {
			const updated = this.store.updateSession({ wrapUpSent: true });
			this.conversation.wrapUp(updated);
			broadcast(this.joined(), { type: 'state', status: 'active', remainingMs: this.remainingMs(updated) });
		}
		await this.scheduleAlarm();
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
				const now = Math.min(Date.now(), state.deadlineAt);
				const endedAt = reason === 'abandoned' && state.emptySince !== null ? Math.min(state.emptySince, now) : now;
				state = this.store.updateSession({ status: 'finalizing', endReason: reason, endedAt });
				await this.ctx.storage.setAlarm(Date.now() + FINALIZE_RETRY_MS);
			}
			await this.conversation.close();
			const [transcriptKey, audioKey] = await Promise.all([
				archiveTranscript(this.env, this.store, state),
				archiveAudio(this.env, this.store, state, 'respondent'),
				archiveAudio(this.env, this.store, state, 'interviewer')
			]);
			const status = state.endReason === 'abandoned' ? 'abandoned' : 'completed';
			await completeInterview(this.env, createDatabase(this.env.DB), {
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
				transcriptKey,
				audioKey,
				turns: this.store.turns(),
				usage: this.store.getMeta<Record<string, number>>('usage') ?? null
			});
			await enqueueJob(this.env, { type: 'interview.completed', workspaceId: state.workspaceId, projectId: state.projectId, interviewId: state.interviewId });
			this.store.updateSession({ status });
			await this.ctx.storage.deleteAlarm();
			broadcast(this.ctx.getWebSockets(), { type: 'ended', reason: state.endReason ?? reason });
			for (const socket of this.ctx.getWebSockets()) closeEnded(socket);
		});
	}
}
