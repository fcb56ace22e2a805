/**
 * A fake OpenAI Realtime server (GA protocol) on loopback, for tests, e2e and the relay benchmark.
 * It refuses the beta header and beta shapes, validates each client event as OpenAI does (a refused
 * `session.update` changes nothing), runs a tiny VAD by the session's turn detection, answers with
 * scripted transcripts and synthetic audio, and fails the ways the real service fails, on cue.
 *
 * Control over HTTP: GET /__sessions?match=…, POST /__drop?match=…, POST /__reset, and
 * POST /__arm?match=…&fault=… (see ./openai-realtime/faults.ts: `response-failed:server_error`,
 * `response-incomplete:content_filter`, `transcription-failed`, `drop-mid-response`,
 * `first-audio-late:800`, `busy`, `error:server_error`, `response-refused:server_error`, …). A connection's query can ask for
 * `fake_semantic_vad=unsupported`, `fake_first_byte_ms=N` (the handshake answers late) and
 * `fake_first_audio_ms=N` (the first reply starts speaking late). `match` finds sessions by their
 * instructions.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { parseFault } from './openai-realtime/faults.ts';
import { FakeSession } from './openai-realtime/session.ts';
import type { FakeRealtimeOptions, FakeSessionSummary, WebSocket } from './openai-realtime/types.ts';

export type { FakeRealtimeOptions, FakeSessionSummary } from './openai-realtime/types.ts';

// `ws` (a devDependency) is loaded through require so Vite's SSR resolution cannot pick its browser stub;
// knip cannot see a require made this way, so knip.json names it.
type WebSocketServerType = {
	clients: Set<WebSocket>;
	handleUpgrade(request: IncomingMessage, socket: unknown, head: Buffer, done: (ws: WebSocket) => void): void;
	close(): void;
};
const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
	WebSocketServer: new (options: { noServer: true }) => WebSocketServerType;
};

export const FAKE_API_KEY = 'sk-test-fake-realtime-key-0123456789abcdef';
export const DEFAULT_REPLIES = [
	'Hello, thank you for joining. What is your role?',
	'Thank you. Which tools do you use every day?',
	'Interesting. How did your first week go?',
	'That is all my questions. Thank you and goodbye.'
];
export const DEFAULT_TRANSCRIPTS = [
	'I run the support team at a small bakery.',
	'Mostly a spreadsheet and email.',
	'It was confusing at first.'
];

export type FakeRealtime = {
	url: string;
	port: number;
	apiKey: string;
	sessions: () => FakeSessionSummary[];
	drop: (match: string) => number;
	close: () => Promise<void>;
};

/** Starts the fake on 127.0.0.1 (an ephemeral port unless one is given). `url` is the https-style base the app's fetch uses, in its http form. */
export async function startFakeRealtime(options: FakeRealtimeOptions = {}): Promise<FakeRealtime> {
	const settings = {
		mode: options.mode ?? 'script',
		apiKey: options.apiKey ?? FAKE_API_KEY,
		replies: options.replies ?? DEFAULT_REPLIES,
		transcripts: options.transcripts ?? DEFAULT_TRANSCRIPTS,
		msPerChar: options.msPerChar ?? 40
	};
	let sessions: FakeSession[] = [];
	const matching = (match: string) => sessions.filter((session) => session.seenInstructions.includes(match));

	const drop = (match: string) => {
		const open = matching(match).filter((session) => !session.closed);
		for (const session of open) session.socket.terminate();
		return open.length;
	};

	const server: Server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://fake');
		const match = url.searchParams.get('match') ?? '\u0000';
		const json = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (url.pathname === '/__sessions') {
			const found = url.searchParams.has('match') ? matching(match) : sessions;
			return json(
				200,
				found.map((session) => session.summary())
			);
		}
		if (url.pathname === '/__drop' && request.method === 'POST') return json(200, { dropped: drop(match) });
		if (url.pathname === '/__arm' && request.method === 'POST') {
			const fault = parseFault(url.searchParams.get('fault') ?? '');
			if (!fault) return json(400, { error: { message: `unknown fault ${url.searchParams.get('fault')}` } });
			const session = matching(match)
				.filter((each) => !each.closed)
				.at(-1);
			session?.arm(fault);
			return json(200, { armed: session ? 1 : 0 });
		}
		if (url.pathname === '/__reset' && request.method === 'POST') {
			sessions = [];
			return json(200, { ok: true });
		}
		json(404, { error: { message: 'not found' } });
	});

	const wss = new WebSocketServer({ noServer: true });
	const accept = (request: IncomingMessage, socket: unknown, head: Buffer, url: URL) =>
		wss.handleUpgrade(request, socket, head, (ws) => {
			const traits = {
				semanticVad: url.searchParams.get('fake_semantic_vad') !== 'unsupported',
				firstAudioMs: Number(url.searchParams.get('fake_first_audio_ms') ?? 0)
			};
			const session = new FakeSession(ws, url.searchParams.get('model'), settings, traits);
			sessions.push(session);
			ws.on('close', () => (session.closed = true));
			if (request.headers['openai-beta']) {
				session.refused = 'beta header';
				ws.close(4000, 'beta_api_shape_disabled');
				return;
			}
			if (!session.model) {
				session.refused = 'no model';
				ws.close(4000, 'missing model');
				return;
			}
			ws.on('message', (data, isBinary) => {
				if (isBinary) return session.protocolErrors.push('binary frames are not part of the protocol');
				session.onMessage(data.toString());
			});
			session.send({ type: 'session.created', session: session.effective() });
		});

	server.on('upgrade', (request: IncomingMessage, socket, head) => {
		const url = new URL(request.url ?? '/', 'http://fake');
		const auth = request.headers.authorization;
		if (!url.pathname.endsWith('/realtime') || auth !== `Bearer ${settings.apiKey}`) {
			socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n{"error":{"message":"Incorrect API key provided"}}');
			return;
		}
		// A slow first byte: the handshake is answered late, as from a far or busy region.
		const lateMs = Number(url.searchParams.get('fake_first_byte_ms') ?? 0);
		if (lateMs > 0) setTimeout(() => accept(request, socket, head, url), lateMs);
		else accept(request, socket, head, url);
	});

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/v1/realtime`,
		port,
		apiKey: settings.apiKey,
		sessions: () => sessions.map((session) => session.summary()),
		drop,
		close: () =>
			new Promise<void>((resolve) => {
				for (const client of wss.clients) client.terminate();
				wss.close();
				server.close(() => resolve());
			})
	};
}
