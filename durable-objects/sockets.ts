import type { ServerMessage } from '../worker/contracts/protocol';
import { sendMessage } from '../worker/lib/socket';

/**
 * What the gateway decided before handing the socket over: a single-use link's id and the token the
 * socket came with (checked again at `hello`), or the multi-use interview it admitted.
 */
export type Admission = {
	linkId: string | null;
	token: string | null;
	interviewId: string | null;
	resumeToken: string | null;
	/** The respondent's keyed network hash, noted on the interview a single-use link's object admits. */
	networkHash?: string | null;
};
export type Attachment = {
	admission: Admission;
	joined: boolean;
	email: string | null;
	muted?: boolean;
	connectedAt: number;
};

/** What the object does with a respondent socket's events. */
export type RespondentEvents = {
	/** A frame: handled at once (audio, once the interview runs) or by the promise returned. */
	frame(socket: WebSocket, data: string | ArrayBuffer): Promise<void> | void;
	/** A socket is gone (closed by either side, or failed); `attachment` is what it was. */
	closed(attachment: Attachment): Promise<void>;
};

/**
 * The respondent's sockets, held in memory. They are accepted with `accept()`, not for hibernation:
 * audio arrives every 40 ms for the length of the interview (and the provider's own socket keeps the
 * object awake anyway), so hibernation never saves a second, while dispatching each frame as a
 * hibernation event cost more than the rest of the relay (docs/BENCHMARKS.md, "Relay profile").
 * A restart of the object closes them; the respondent's page rejoins by email or resume token.
 */
export class RespondentSockets {
	private readonly sockets = new Map<WebSocket, Attachment>();
	/** The joined sockets, worked out again only when a socket joins or leaves: the audio path reads them every frame. */
	private joinedNow: WebSocket[] | null = null;

	constructor(private readonly onError: (error: unknown) => void) {}

	/** Accepts the socket, and hands its frames and its close to `events` in order. */
	accept(server: WebSocket, admission: Admission, events: RespondentEvents): void {
		server.accept();
		server.binaryType = 'arraybuffer';
		this.sockets.set(server, { admission, joined: false, email: null, connectedAt: Date.now() });
		server.addEventListener('message', (event) => this.handle(() => events.frame(server, event.data as string | ArrayBuffer)));
		server.addEventListener('close', (event) => this.handle(() => this.closed(server, event.code, events)));
		server.addEventListener('error', () => this.handle(() => this.closed(server, 1006, events)));
	}

	/** Runs an event's work, and hands what it throws, now or later, to `onError`. Audio frames make no promise at all. */
	private handle(work: () => Promise<void> | void): void {
		try {
			work()?.catch(this.onError);
		} catch (error) {
			this.onError(error);
		}
	}

	private async closed(socket: WebSocket, code: number, events: RespondentEvents): Promise<void> {
		const attachment = this.sockets.get(socket);
		if (!attachment) return;
		this.sockets.delete(socket);
		this.joinedNow = null;
		// Answer the close (a code a server may send), so the runtime lets go of the socket.
		try {
			if (code === 1005 || code === 1006) socket.close();
			else if (code < 4000) socket.close(code, 'closing');
		} catch {
			// already closed
		}
		await events.closed(attachment);
	}

	attachment(socket: WebSocket): Attachment {
		const attachment = this.sockets.get(socket);
		if (!attachment) throw new Error('not a respondent socket of this object');
		return attachment;
	}

	update(socket: WebSocket, patch: Partial<Attachment>): void {
		this.sockets.set(socket, { ...this.attachment(socket), ...patch });
		this.joinedNow = null;
	}

	/** Every respondent socket, joined or not. */
	all(): WebSocket[] {
		return [...this.sockets.keys()];
	}

	/** The open sockets that said hello and were admitted. */
	joined(): WebSocket[] {
		this.joinedNow ??= this.all().filter((socket) => socket.readyState === WebSocket.OPEN && this.sockets.get(socket)!.joined);
		return this.joinedNow;
	}

	/** A socket closed by the object (a refusal, the end): it leaves the joined ones at once. */
	forgetJoined(): void {
		this.joinedNow = null;
	}
}

export function broadcast(sockets: WebSocket[], message: ServerMessage | ArrayBuffer): void {
	for (const socket of sockets) {
		try {
			if (message instanceof ArrayBuffer) socket.send(message);
			else sendMessage(socket, message);
		} catch {
			// a socket that closed meanwhile; its close handler cleans up
		}
	}
}
