import type { ObserverMessage } from '$contracts/observer';
import type { SocketErrorCode } from '$contracts/socket-errors';
import { isRefusal, retryDelay, socketUrl } from '$lib/interview/reconnect';

export type ObserverConnection = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';
export type ObserverError = { code: SocketErrorCode; message: string };

export type ObserverHandlers = {
	message: (message: ObserverMessage) => void;
	status: (status: ObserverConnection) => void;
	/** The server closed with a 4xxx code (a refusal, or the end of the interview); no reconnect follows. */
	closed: (closeCode: number, lastError: ObserverError | null) => void;
};

export const observerSocketUrl = (location: Location, interviewId: string) =>
	socketUrl(location, `/ws/observe/${encodeURIComponent(interviewId)}`);

/** Any JSON object with a type; the page's switch ignores types it does not know (the protocol adds messages that way). */
function parse(data: string): ObserverMessage | null {
	try {
		const value: unknown = JSON.parse(data);
		return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
			? (value as ObserverMessage)
			: null;
	} catch {
		return null;
	}
}

/**
 * A researcher's read-only connection to a running interview. It sends nothing; it reconnects with
 * jittered exponential backoff (at once when the browser comes back online), and each reconnect
 * gets a fresh welcome with the whole transcript, so nothing missed while away is lost.
 */
export class ObserverSocket {
	private socket: WebSocket | null = null;
	private attempts = 0;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private lastError: ObserverError | null = null;
	private stopped = false;
	/** The current socket has been welcomed: it is watching, not still opening. */
	private welcomed = false;

	constructor(
		private readonly url: string,
		private readonly handlers: ObserverHandlers
	) {
		addEventListener('online', this.onOnline);
		addEventListener('offline', this.onOffline);
	}

	connect(): void {
		if (this.stopped) return;
		clearTimeout(this.retryTimer);
		this.handlers.status(this.attempts === 0 ? 'connecting' : 'reconnecting');
		const socket = new WebSocket(this.url);
		this.socket = socket;
		this.lastError = null;
		this.welcomed = false;
		socket.addEventListener('message', (event: MessageEvent<unknown>) => {
			if (socket !== this.socket || typeof event.data !== 'string') return;
			const message = parse(event.data);
			if (!message) return;
			if (message.type === 'error') this.lastError = { code: message.code, message: message.message };
			if (message.type === 'observe.welcome') {
				this.attempts = 0;
				this.welcomed = true;
				this.handlers.status('connected');
			}
			this.handlers.message(message);
		});
		socket.addEventListener('close', (event) => {
			if (socket === this.socket) this.onClosed(event.code);
		});
	}

	/** Ends the connection on purpose (the page is left): no reconnect follows. */
	close(): void {
		this.stop();
		const socket = this.socket;
		this.socket = null;
		if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'done');
	}

	private stop(): void {
		this.stopped = true;
		clearTimeout(this.retryTimer);
		removeEventListener('online', this.onOnline);
		removeEventListener('offline', this.onOffline);
		this.handlers.status('closed');
	}

	private onClosed(code: number): void {
		this.socket = null;
		if (this.stopped) return;
		if (isRefusal(code)) {
			this.stop();
			this.handlers.closed(code, this.lastError);
			return;
		}
		this.attempts += 1;
		if (!navigator.onLine) return this.handlers.status('offline');
		this.handlers.status('reconnecting');
		this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.attempts));
	}

	private readonly onOnline = () => {
		if (this.stopped) return;
		if (this.socket) {
			// The connection outlived the network blip.
			if (this.welcomed && this.socket.readyState === WebSocket.OPEN) this.handlers.status('connected');
			return;
		}
		this.attempts = Math.max(this.attempts, 1);
		this.connect();
	};

	private readonly onOffline = () => {
		if (!this.stopped) this.handlers.status('offline');
	};
}
