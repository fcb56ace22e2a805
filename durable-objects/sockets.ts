import type { ServerMessage } from '../worker/contracts/protocol';
import { sendMessage } from '../worker/lib/socket';

/**
 * What the gateway decided before handing the socket over, kept on the socket across hibernation:
 * a single-use link's id and the token the socket came with (checked again at `hello`), or the
 * multi-use interview it admitted.
 */
export type Admission = {
	linkId: string | null;
	token: string | null;
	interviewId: string | null;
	resumeToken: string | null;
	/** The respondent's keyed network hash, noted on the interview a single-use link's object admits. */
	networkHash?: string | null;
};
/** `observer`: a researcher watching (durable-objects/observers.ts), never joined. */
export type Attachment = {
	admission: Admission;
	joined: boolean;
	email: string | null;
	muted?: boolean;
	connectedAt?: number;
	observer?: true;
};

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
