import { CLOSE_CODES, SOCKET_ERRORS, type RefusalCode, type ServerMessage, type SocketErrorCode } from '../contracts/protocol';

export function isWebSocketUpgrade(request: Request): boolean {
	return request.headers.get('Upgrade')?.toLowerCase() === 'websocket';
}

/** An error frame the socket survives (a bad frame, a mistyped code). */
export type SocketError = { code: SocketErrorCode; message: string };
/** An error frame followed by the close code the error table gives its code. */
export type Refusal = { code: RefusalCode; message: string };

export function sendMessage(socket: WebSocket, message: ServerMessage): void {
	socket.send(JSON.stringify(message));
}

/** Closes a socket, mapping codes a server may not send (1005, 1006…) to 1000; one already closed is fine. */
export function closeQuietly(socket: WebSocket, code: number, reason: string): void {
	try {
		socket.close(code >= 4000 || code === 1000 ? code : 1000, reason);
	} catch {
		// already closed
	}
}

/** Sends an `error` frame the client can read, then closes with the refusal's 4xxx code. */
export function refuse(socket: WebSocket, refusal: Refusal): void {
	try {
		sendMessage(socket, { type: 'error', code: refusal.code, message: refusal.message });
	} catch {
		// already closed
	}
	closeQuietly(socket, SOCKET_ERRORS[refusal.code], refusal.code);
}

/** Closes a socket at the end of the interview. */
export const closeEnded = (socket: WebSocket) => closeQuietly(socket, CLOSE_CODES.ended, 'ended');

/**
 * Refuses a WebSocket join after the upgrade: browsers hide the body of a failed upgrade,
 * so the client gets an `error` frame it can read, then a 4xxx close code.
 */
export function refuseSocket(refusal: Refusal): Response {
	const { 0: client, 1: server } = new WebSocketPair();
	server.accept();
	refuse(server, refusal);
	return new Response(null, { status: 101, webSocket: client });
}
