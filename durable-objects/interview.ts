import { DurableObject } from 'cloudflare:workers';
import { ApiError, errorResponse } from '../worker/lib/errors';
import { isWebSocketUpgrade } from '../worker/lib/request-guards';
import { sendMessage } from '../worker/lib/socket';
import { parseClientFrame } from './frames';

/** One object per interview: it owns the session's sockets, state machine and countdown. */
export class Interview extends DurableObject<Env> {
	override async fetch(request: Request): Promise<Response> {
		if (!isWebSocketUpgrade(request)) {
			return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'));
		}
		const { 0: client, 1: server } = new WebSocketPair();
		this.ctx.acceptWebSocket(server);
		return new Response(null, { status: 101, webSocket: client });
	}

	override async webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> {
		const parsed = parseClientFrame(frame);
		if (parsed.kind === 'invalid') {
			sendMessage(socket, { type: 'error', code: parsed.code, message: parsed.message });
			return;
		}
		if (parsed.kind === 'message' && parsed.message.type === 'ping') sendMessage(socket, { type: 'state', status: 'waiting', remainingMs: 0 });
	}

	override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
		if (code === 1005 || code === 1006) socket.close();
		else socket.close(code, 'closing');
	}
}
