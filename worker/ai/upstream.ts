import { logError } from '../lib/log';
import { AudioTimeline } from './audio-timeline';
import { durationMs } from './pcm';
import type { ProviderErrorCode, ProviderEvents } from './provider';

/** Respondent audio kept while the upstream is (re)connecting, sent to it once it is open. */
const MAX_WAITING_MS = 20_000;
/**
 * Respondent audio the open socket may have queued and not yet sent, as the protocol carries it: 2 s
 * of 24 kHz PCM16 in base64 (4 bytes per 3) is 128 kB. Past it the upstream is slower than real
 * time, and the engine stops handing it frames.
 */
const MAX_UNSENT_BYTES = 128_000;
/** Respondent audio held back while the upstream is behind; past it the oldest is dropped and counted. */
export const MAX_HELD_MS = 2_000;
/** The failed reconnect attempt after which the respondent is told the interviewer is reconnecting (once an outage). */
export const WARN_AFTER_ATTEMPT = 3;

/** Why a provider's socket could not be opened, as a code the respondent may hear of. */
export class UpstreamError extends Error {
	constructor(
		readonly code: Extract<ProviderErrorCode, 'provider_auth' | 'provider_unavailable'>,
		message: string
	) {
		super(message);
	}
}

/** Opens an outbound WebSocket with headers, the Workers way: a fetch with an Upgrade header. */
export async function connectWebSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
	const response = await fetch(url.replace(/^ws(s?):/, 'http$1:'), { headers: { ...headers, Upgrade: 'websocket' } });
	const socket = response.webSocket;
	if (!socket) {
		const status = response.status;
		await response.body?.cancel();
		throw new UpstreamError(
			status === 401 || status === 403 ? 'provider_auth' : 'provider_unavailable',
			`The AI provider refused the connection (HTTP ${status}).`
		);
	}
	socket.accept();
	return socket;
}

/** Whether an open socket has more than 2 s of audio queued that it has not sent yet (a runtime without the count says no). */
const isBehind = (socket: WebSocket) => (socket.bufferedAmount ?? 0) > MAX_UNSENT_BYTES;

/** A refusal of our credentials: trying again cannot help, so there is no reconnect after it. */
const isRefusal = (error: unknown) => error instanceof UpstreamError && error.code === 'provider_auth';

/** What a provider tells the engine: how to open its socket and how its protocol carries audio. */
export type UpstreamProtocol = {
	/** Opens and accepts a socket; throws (an `UpstreamError` when the provider says why) if it cannot. */
	connect(): Promise<WebSocket>;
	/**
	 * A socket has just opened: send the provider's configuration with `Upstream.send`. The audio
	 * that waited follows it. `reconnected` is false only for the socket `open()` asked for.
	 */
	opened?(reconnected: boolean): void;
	/** A text message from the provider, on any socket this engine opened. */
	message(text: string): void;
	/** One frame of respondent audio as the protocol carries it: a JSON event, or the bytes themselves. */
	audioMessage(pcm: ArrayBuffer): string | ArrayBuffer;
	/** The respondent should hear that the interviewer is reconnecting (once an outage), or that our key was refused (no more attempts). */
	failed(code: Extract<ProviderErrorCode, 'provider_reconnecting' | 'provider_auth'>, error: unknown): void;
};

export type UpstreamOptions = {
	/** Delays before each reconnect attempt; the last one repeats. */
	backoffMs: readonly number[];
	/**
	 * Whether the audio that waited for a socket is on that socket's timeline. A provider counts every
	 * byte it was sent, so it is: both providers say true. Left off, speech after a reconnect would be
	 * placed late by the audio that waited.
	 */
	timelineIncludesWaitingAudio: boolean;
};

/** Respondent audio waiting for the socket, with where it started in the interview. */
type WaitingAudio = { pcm: ArrayBuffer; atMs: number };

/**
 * One provider's outbound socket, kept open for the length of an interview: it opens it, reopens it
 * with backoff when it drops (not after `close()`, not after a refusal of our key), keeps up to 20 s
 * of respondent audio while there is no socket and sends it, in order, after the provider's
 * configuration; and it lays the audio it sends on a timeline that places the provider's speech
 * events in interview time. What travels on the socket is the provider's business (`UpstreamProtocol`).
 */
export class Upstream {
	private socket: WebSocket | null = null;
	private ended = false;
	private attempt = 0;
	private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	private waiting: WaitingAudio[] = [];
	private waitingMs = 0;
	/** Audio held back while the open socket's own queue is full, oldest first. */
	private held: WaitingAudio[] = [];
	private heldMs = 0;
	private droppedFrames = 0;
	private sentMs = 0;
	private readonly audio = new AudioTimeline();

	constructor(
		private readonly protocol: UpstreamProtocol,
		private readonly options: UpstreamOptions
	) {}

	/** Whether there is a socket: what is sent now reaches the provider. */
	get isOpen(): boolean {
		return this.socket !== null;
	}

	/** Whether `close()` was called: the interview is over for this provider. */
	get hasEnded(): boolean {
		return this.ended;
	}

	/** Milliseconds of respondent audio sent upstream over all sockets (what a provider bills by). */
	get audioSentMs(): number {
		return this.sentMs;
	}

	/** Frames of respondent audio dropped, oldest first, because the upstream fell more than 2 s behind real time. */
	get audioFramesDropped(): number {
		return this.droppedFrames;
	}

	/** The current socket's audio timeline, to place the provider's speech events. */
	get timeline(): Pick<AudioTimeline, 'positionMs' | 'place'> {
		return this.audio;
	}

	/**
	 * Opens the first socket. A failure is thrown to the caller, and reconnecting starts behind it
	 * unless the provider refused our key.
	 */
	async open(): Promise<void> {
		try {
			await this.connect(false);
		} catch (error) {
			if (!isRefusal(error)) this.scheduleReconnect();
			throw error;
		}
	}

	/** Sends a message on the open socket. Without one it is dropped: only audio waits (see `sendAudio`). */
	send(message: string): void {
		this.socket?.send(message);
	}

	/**
	 * Respondent audio that started at `atMs` in the interview. It goes upstream at once, or waits for
	 * the socket; past 20 s of waiting audio, new frames are dropped (they are recorded anyway). An
	 * open socket whose own queue holds more than 2 s is not handed more: frames are held back, at
	 * most 2 s of them (the oldest dropped and counted), and go on as the socket catches up.
	 */
	sendAudio(pcm: ArrayBuffer, atMs: number): void {
		const socket = this.socket;
		if (socket) {
			if (this.held.length === 0 && !isBehind(socket)) return this.deliver(socket, pcm, atMs, true);
			this.hold(pcm, atMs);
			return this.catchUp(socket);
		}
		const ms = durationMs(pcm.byteLength);
		if (this.waitingMs + ms > MAX_WAITING_MS) return;
		this.waitingMs += ms;
		this.waiting.push({ pcm, atMs });
	}

	private hold(pcm: ArrayBuffer, atMs: number): void {
		this.held.push({ pcm, atMs });
		this.heldMs += durationMs(pcm.byteLength);
		while (this.heldMs > MAX_HELD_MS) {
			this.heldMs -= durationMs(this.held.shift()!.pcm.byteLength);
			this.droppedFrames += 1;
		}
	}

	/** Hands the socket what was held back, oldest first, for as long as it keeps up. */
	private catchUp(socket: WebSocket): void {
		while (this.held.length > 0 && !isBehind(socket)) {
			const { pcm, atMs } = this.held.shift()!;
			this.heldMs -= durationMs(pcm.byteLength);
			this.deliver(socket, pcm, atMs, true);
		}
	}

	/** Moves to a fresh socket now, without a delay (a provider's session cap). */
	reopen(reason: string): void {
		const old = this.socket;
		if (!old) return;
		this.socket = null;
		old.close(1000, reason);
		void this.reconnect();
	}

	/** The interview is over: no more sockets, no more reconnects. */
	close(): void {
		this.ended = true;
		if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
		const old = this.socket;
		this.socket = null;
		try {
			old?.close(1000, 'interview ended');
		} catch {
			// already closed
		}
	}

	private async connect(reconnected: boolean): Promise<void> {
		const socket = await this.protocol.connect();
		if (this.ended) {
			socket.close(1000, 'interview ended');
			return;
		}
		this.socket = socket;
		this.audio.restart();
		socket.addEventListener('message', (event) => {
			if (typeof event.data === 'string') this.read(event.data);
		});
		socket.addEventListener('close', (event) => this.dropped(socket, event.code));
		socket.addEventListener('error', () => this.dropped(socket, 1006));

		// Audio held back for a socket that went away goes to the new one first: it was said before what waited.
		const waiting = [...this.held, ...this.waiting];
		this.held = [];
		this.heldMs = 0;
		this.waiting = [];
		this.waitingMs = 0;
		this.protocol.opened?.(reconnected);
		for (const { pcm, atMs } of waiting) this.deliver(socket, pcm, atMs, this.options.timelineIncludesWaitingAudio);
		this.attempt = 0;
	}

	/** A message the protocol cannot read (not JSON, audio that is not base64) is logged and skipped: the session goes on. */
	private read(text: string): void {
		try {
			this.protocol.message(text);
		} catch (error) {
			logError('provider.message_unreadable', error);
		}
	}

	private deliver(socket: WebSocket, pcm: ArrayBuffer, atMs: number, onTimeline: boolean): void {
		const ms = durationMs(pcm.byteLength);
		if (onTimeline) this.audio.append(atMs, ms);
		this.sentMs += ms;
		socket.send(this.protocol.audioMessage(pcm));
	}

	private dropped(socket: WebSocket, code: number): void {
		if (socket !== this.socket) return;
		this.socket = null;
		// Without a close frame from the other side, close ours so the runtime lets go of the socket.
		if (code === 1005 || code === 1006) {
			try {
				socket.close();
			} catch {
				// already closed by the other side
			}
		}
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		if (this.ended || this.reconnectTimer) return;
		const backoff = this.options.backoffMs;
		const delay = backoff[Math.min(this.attempt, backoff.length - 1)]!;
		this.attempt += 1;
		this.reconnectTimer = setTimeout(() => {
			this.reconnectTimer = null;
			void this.reconnect();
		}, delay);
	}

	private async reconnect(): Promise<void> {
		try {
			await this.connect(true);
		} catch (error) {
			if (this.attempt === WARN_AFTER_ATTEMPT) this.protocol.failed('provider_reconnecting', error);
			if (isRefusal(error)) return this.protocol.failed('provider_auth', error);
			this.scheduleReconnect();
		}
	}
}

/** The usage counter of respondent frames dropped because the provider fell behind (the record shows it). */
export const UPSTREAM_DROPS = 'parley.audio_frames_dropped_upstream';

/** At the end of a session: how many frames the provider never heard because it fell behind, if any. */
export function reportDropped(upstream: Upstream, events: Pick<ProviderEvents, 'usage'>): void {
	const frames = upstream.audioFramesDropped;
	if (frames > 0) events.usage?.({ [UPSTREAM_DROPS]: frames });
}
