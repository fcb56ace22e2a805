import { CLOSE_CODES, type ServerMessage } from '../worker/contracts/protocol';
import { sendMessage } from '../worker/lib/socket';

/**
 * What the gateway decided before handing the socket over, kept on the socket across hibernation:
 * a single-use link's id and the token the socket came with (checked again at `hello`), or the
 * multi-use interview it admitted.
 */
export type Admission = { linkId: string | null; token: string | null; interviewId: string | null; resumeToken: string | null };
export type Attachment = { admission: Admission; joined: boolean; email: string | null; muted?: boolean; connectedAt?: number };

/** Attachments are read on every audio frame, so they are kept in memory after the first read. */
const attachments = new WeakMap<WebSocket, Attachment>();

export function attachmentOf(socket: WebSocket): Attachment {
	let attachment = attachments.get(socket);
	if (!attachment) {
		attachment = socket.deserializeAttachment() as Attachment;
		attachments.set(socket, attachment);
	}
	return attachment;
}

export function setAttachment(socket: WebSocket, patch: Partial<Attachment>): void {
	const next = { ...attachmentOf(socket), ...patch };
	socket.serializeAttachment(next);
	attachments.set(socket, next);
}

export function joinedSockets(all: WebSocket[]): WebSocket[] {
	return all.filter((socket) => socket.readyState === WebSocket.OPEN && attachmentOf(socket).joined);
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

/** Frames the server could not use; a client that keeps sending them is broken or hostile. */
const MALFORMED_FRAME_LIMIT = 10;

/** Counts malformed frames per socket; past the limit the socket is closed with 4400. */
export class MalformedFrameCounter {
	private readonly counts = new WeakMap<WebSocket, number>();
	readonly refusal = { closeCode: CLOSE_CODES.badFrame, code: 'too_many_bad_frames', message: 'Too many malformed messages; reload the page to continue.' };

	/** Counts one more malformed frame; true once the socket has sent too many. */
	tooMany(socket: WebSocket): boolean {
		const count = (this.counts.get(socket) ?? 0) + 1;
		this.counts.set(socket, count);
		return count >= MALFORMED_FRAME_LIMIT;
	}
}

const TEXT_WINDOW_MS = 10_000;
const TEXT_FRAMES_PER_WINDOW = 40;

/** Counts text frames per socket; a flood closes that socket and nothing else. */
export class TextFrameLimiter {
	private readonly windows = new WeakMap<WebSocket, { start: number; count: number }>();

	allow(socket: WebSocket, now = Date.now()): boolean {
		const window = this.windows.get(socket);
		if (!window || now - window.start > TEXT_WINDOW_MS) {
			this.windows.set(socket, { start: now, count: 1 });
			return true;
		}
		window.count += 1;
		return window.count <= TEXT_FRAMES_PER_WINDOW;
	}
}

