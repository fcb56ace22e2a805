import { exports } from 'cloudflare:workers';
import type { ServerMessage } from '../../../worker/contracts/protocol';
import { BASE_URL } from './api';

export type OpenedSocket = {
	socket: WebSocket;
	messages: ServerMessage[];
	closed: Promise<{ code: number; reason: string }>;
	next: (type?: ServerMessage['type']) => Promise<ServerMessage>;
};

/** Opens a WebSocket through the Worker's own fetch handler, as a browser would. */
export async function openSocket(path: string, fetcher: { fetch(request: Request): Promise<Response> } = exports.default): Promise<OpenedSocket> {
	const response = await fetcher.fetch(new Request(`${BASE_URL}${path}`, { headers: { Upgrade: 'websocket' } }));
	const socket = response.webSocket;
	if (response.status !== 101 || !socket) throw new Error(`expected an upgrade, got ${response.status}`);
	const messages: ServerMessage[] = [];
	const waiters: ((message: ServerMessage) => boolean)[] = [];
	socket.accept();
	socket.addEventListener('message', (event) => {
		if (typeof event.data !== 'string') return;
		const message = JSON.parse(event.data) as ServerMessage;
		messages.push(message);
		const index = waiters.findIndex((waiter) => waiter(message));
		if (index >= 0) waiters.splice(index, 1);
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		socket.addEventListener('close', (event) => resolve({ code: event.code, reason: event.reason }))
	);
	let consumed = 0;
	const next = (type?: ServerMessage['type']) =>
		new Promise<ServerMessage>((resolve) => {
			const pending = messages.slice(consumed).find((message) => !type || message.type === type);
			if (pending) {
				consumed = messages.indexOf(pending) + 1;
				return resolve(pending);
			}
			waiters.push((message) => {
				if (type && message.type !== type) return false;
				consumed = messages.indexOf(message) + 1;
				resolve(message);
				return true;
			});
		});
	return { socket, messages, closed, next };
}
