import type { ClientMessage, ServerMessage, SocketErrorCode } from '$contracts/protocol';
import { isRefusal, retryDelay } from './reconnect';

export type SocketStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';
export type ServerError = { code: SocketErrorCode; message: string };

/**
 * Where to connect, asked before every attempt (the join answers with a socket URL and, on a
 * multi-use link, a ticket good for a minute): the URL, a message for the page instead (a mailed
 * code to ask for, a mistyped code), or the server's refusal.
 */
export type Destination = { url: string } | { message: ServerMessage } | { refused: { closeCode: number; error: ServerError | null } };

export type SocketHandlers = {
	/** A socket opened (first time or after a reconnect): send `hello` now. */
	open: () => void;
	message: (message: ServerMessage) => void;
	audio: (pcm: ArrayBuffer) => void;
	status: (status: SocketStatus) => void;
	/** The server closed with a 4xxx code; the socket does not reconnect. */
	refused: (closeCode: number, lastError: ServerError | null) => void;
};

const PING_INTERVAL_MS = 10_000;
/** No frame at all for this long, pings included, means the connection is dead even if the browser has not noticed. */
const SILENCE_LIMIT_MS = 25_000;
/** Audio is dropped rather than queued once this much is waiting to go out (a stalled uplink). */
const MAX_BUFFERED_BYTES = 256 * 1024;

function parseServerMessage(data: string): ServerMessage | null {
	try {
		const value: unknown = JSON.parse(data);
		return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
			? (value as ServerMessage)
			: null;
	} catch {
		return null;
	}
}

/**
 * One interview connection that survives network drops: it reconnects with jittered exponential
 * backoff (at once when the browser comes back online) and pings so the countdown stays in sync.
 * A 4xxx close is the server's decision and ends it for good.
 */
export class InterviewSocket {
	private socket: WebSocket | null = null;
	/** The latest ask for a destination: an older one that answers late is ignored. */
	private asking: Promise<Destination> | null = null;
	private attempts = 0;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private pingTimer: ReturnType<typeof setInterval> | undefined;
	private lastFrameAt = 0;
	private lastError: ServerError | null = null;
	private stopped = false;
	private joined = false;

	constructor(
		private readonly destination: () => Promise<Destination>,
		private readonly handlers: SocketHandlers
	) {
		addEventListener('online', this.onOnline);
		addEventListener('offline', this.onOffline);
	}

	get isOpen(): boolean {
		return this.socket?.readyState === WebSocket.OPEN;
	}

	/** Asks where to connect, then opens the socket; a failed ask is retried like a dropped socket. */
	connect(): void {
		if (this.stopped) return;
		clearTimeout(this.retryTimer);
		this.handlers.status(this.attempts === 0 ? 'connecting' : 'reconnecting');
		const asking = (this.asking = this.destination());
		asking.then(
			(destination) => {
				if (asking !== this.asking || this.stopped) return;
				if ('url' in destination) return this.open(destination.url);
				if ('refused' in destination) return this.refusedBy(destination.refused.closeCode, destination.refused.error);
				this.handlers.message(destination.message);
			},
			() => {
				if (asking === this.asking && !this.stopped) this.scheduleReconnect();
			}
		);
	}

	private open(url: string): void {
		const socket = new WebSocket(url);
		socket.binaryType = 'arraybuffer';
		this.socket = socket;
		this.joined = false;
		this.lastError = null;
		socket.addEventListener('open', () => {
			if (socket !== this.socket) return;
			this.lastFrameAt = Date.now();
			this.handlers.open();
			this.startPinging();
		});
		socket.addEventListener('message', (event: MessageEvent<string | ArrayBuffer>) => {
			if (socket !== this.socket) return;
			this.lastFrameAt = Date.now();
			if (typeof event.data !== 'string') return this.handlers.audio(event.data);
			const message = parseServerMessage(event.data);
			if (!message) return;
			if (message.type === 'error') this.lastError = { code: message.code, message: message.message };
			if (message.type === 'welcome') this.attempts = 0;
			this.handlers.message(message);
		});
		socket.addEventListener('close', (event) => {
			if (socket !== this.socket) return;
			this.onClosed(event.code);
		});
	}

	/** Marks the socket as joined: status goes to connected once the server welcomed us. */
	markJoined(): void {
		this.joined = true;
		this.handlers.status('connected');
	}

	send(message: ClientMessage): boolean {
		if (!this.isOpen) return false;
		this.socket?.send(JSON.stringify(message));
		return true;
	}

	/** Audio goes only to a socket the server has welcomed; before that it would be refused as out of turn. */
	sendAudio(pcm: ArrayBuffer): void {
		if (this.joined && this.isOpen && this.socket && this.socket.bufferedAmount < MAX_BUFFERED_BYTES) this.socket.send(pcm);
	}

	/** Ends the connection on purpose: no reconnect follows. */
	close(): void {
		this.stopped = true;
		this.stopPinging();
		clearTimeout(this.retryTimer);
		removeEventListener('online', this.onOnline);
		removeEventListener('offline', this.onOffline);
		const socket = this.socket;
		this.socket = null;
		if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'done');
		this.handlers.status('closed');
	}

	private onClosed(code: number): void {
		this.stopPinging();
		this.socket = null;
		if (this.stopped) return;
		if (isRefusal(code)) return this.refusedBy(code, this.lastError);
		this.scheduleReconnect();
	}

	private refusedBy(code: number, error: ServerError | null): void {
		this.stopped = true;
		removeEventListener('online', this.onOnline);
		removeEventListener('offline', this.onOffline);
		this.handlers.status('closed');
		this.handlers.refused(code, error);
	}

	private scheduleReconnect(): void {
		this.attempts += 1;
		if (!navigator.onLine) {
			this.handlers.status('offline');
			return;
		}
		this.handlers.status('reconnecting');
		this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.attempts));
	}

	private startPinging(): void {
		this.stopPinging();
		this.pingTimer = setInterval(() => {
			if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
				this.dropDeadSocket();
				return;
			}
			this.send({ type: 'ping' });
		}, PING_INTERVAL_MS);
	}

	private stopPinging(): void {
		clearInterval(this.pingTimer);
		this.pingTimer = undefined;
	}

	/** The browser still thinks the socket is open but nothing has arrived for too long. */
	private dropDeadSocket(): void {
		const socket = this.socket;
		this.socket = null;
		socket?.close();
		this.onClosed(1006);
	}

	private readonly onOnline = () => {
		if (this.stopped) return;
		if (this.socket) {
			if (this.joined && this.isOpen) this.handlers.status('connected');
			return;
		}
		this.attempts = Math.max(this.attempts, 1);
		this.connect();
	};

	private readonly onOffline = () => {
		if (this.stopped) return;
		this.handlers.status('offline');
	};
}
