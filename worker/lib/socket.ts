import type { ServerMessage } from '../contracts/protocol';

export function sendMessage(socket: WebSocket, message: ServerMessage): void {
	socket.send(JSON.stringify(message));
}

/**
 * Refuses a WebSocket join after the upgrade: browsers hide the body of a failed upgrade,
 * so the client gets an `error` frame it can read, then a 4xxx close code.
 */
export function refuseSocket(closeCode: number, code: string, message: string): Response {
	const { 0: client, 1: server } = new WebSocketPair();
	server.accept();
	sendMessage(server, { type: 'error', code, message });
	server.close(closeCode, code);
	return new Response(null, { status: 101, webSocket: client });
}
