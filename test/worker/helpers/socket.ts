import { exports } from 'cloudflare:workers';
import type { ServerMessage } from '../../../worker/contracts/protocol';
import { BASE_URL } from './api';

/** A socket's JSON messages: the respondent's protocol by default, the observer's for observer sockets. */
type Message = { type: string };

export type OpenedSocket<M extends Message = ServerMessage> = {
	socket: WebSocket;
	messages: M[];
	binary: ArrayBuffer[];
	closed: Promise<{ code: number; reason: string }>;
	/** The next message (after the last one `next` returned) whose type is one of `types`. */
	next: (...types: M['type'][]) => Promise<M>;
	/** Resolves once some received message satisfies `find`. */
	waitFor: <T>(find: (messages: M[]) => T | undefined, timeoutMs?: number) => Promise<T>;
};

/** Opens a WebSocket through the Worker's own fetch handler (or a DO stub), as a browser would (with `headers`: its cookie, its Origin). */
export async function openSocket<M extends Message = ServerMessage>(
	path: string,
	fetcher: { fetch(request: Request): Promise<Response> } = exports.default,
	headers: Record<string, string> = {}
): Promise<OpenedSocket<M>> {
	const response = await fetcher.fetch(new Request(`${BASE_URL}${path}`, { headers: { ...headers, Upgrade: 'websocket' } }));
	const socket = response.webSocket;
	if (response.status !== 101 || !socket) throw new Error(`expected an upgrade, got ${response.status}`);
	const messages: M[] = [];
	const binary: ArrayBuffer[] = [];
	const listeners = new Set<() => void>();
	socket.accept();
	socket.binaryType = 'arraybuffer';
	socket.addEventListener('message', (event) => {
		if (typeof event.data === 'string') messages.push(JSON.parse(event.data) as M);
		else binary.push(event.data as ArrayBuffer);
		for (const listener of [...listeners]) listener();
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		socket.addEventListener('close', (event) => {
			resolve({ code: event.code, reason: event.reason });
			for (const listener of [...listeners]) listener();
		})
	);

	const waitFor = <T>(find: (all: M[]) => T | undefined, timeoutMs = 10_000) =>
		new Promise<T>((resolve, reject) => {
			const check = () => {
				const found = find(messages);
				if (found === undefined) return false;
				listeners.delete(check);
				clearTimeout(timer);
				resolve(found);
				return true;
			};
			const timer = setTimeout(() => {
				listeners.delete(check);
				reject(new Error(`timed out; received: ${JSON.stringify(messages.map((message) => message.type))}`));
			}, timeoutMs);
			if (!check()) listeners.add(check);
		});

	let cursor = 0;
	const next = (...types: M['type'][]) =>
		waitFor((all) => {
			for (let index = cursor; index < all.length; index += 1) {
				if (types.length === 0 || types.includes(all[index]!.type)) {
					cursor = index + 1;
					return all[index];
				}
			}
			return undefined;
		});
	return { socket, messages, binary, closed, next, waitFor };
}
