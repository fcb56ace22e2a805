/**
 * A fake OpenAI Realtime server (GA protocol) on loopback, for tests, e2e and the relay benchmark.
 * It refuses the beta header and beta shapes, validates base64 PCM, runs a tiny energy VAD, answers
 * with scripted transcripts and synthetic audio, can drop connections on cue, and records what it
 * received. Control over HTTP: GET /__sessions, POST /__drop?match=…, POST /__reset.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

// `ws` (a devDependency) is loaded through require so Vite's SSR resolution cannot pick its browser stub;
// knip cannot see a require made this way, so knip.json names it.
type WebSocket = {
	readonly OPEN: number;
	readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	terminate(): void;
	on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
	on(event: 'close', listener: () => void): void;
};
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

export type FakeRealtimeOptions = {
	/** `script`: VAD, transcripts and scripted replies. `echo`: every appended chunk comes straight back as an audio delta. */
	mode?: 'script' | 'echo';
	apiKey?: string;
	replies?: string[];
	transcripts?: string[];
	/** Milliseconds of synthetic audio per character of a reply. */
	msPerChar?: number;
	port?: number;
};

type Reply = { responseId: string; itemId: string; transcript: string; audio: Buffer; status: string };
export type FakeSessionSummary = {
	id: string;
	model: string | null;
	refused: string | null;
	instructions: string;
	session: Record<string, unknown> | null;
	eventTypes: string[];
	protocolErrors: string[];
	audioBytes: number;
	audioSha256: string;
	items: Array<{ role: string; type: string; text: string }>;
	replies: Array<{ itemId: string; transcript: string; audioSha256: string; audioBytes: number; status: string }>;
	truncates: Array<{ item_id: string; content_index: number; audio_end_ms: number }>;
	closed: boolean;
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic interviewer audio for a reply: a soft tone whose pitch depends on the text. */
export function synthAudio(text: string, msPerChar = 40): Buffer {
	const samples = Math.max(2_400, Math.round(text.length * msPerChar * 24));
	const seed = [...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 7);
	const frequency = 180 + (seed % 160);
	const pcm = Buffer.alloc(samples * 2);
	for (let index = 0; index < samples; index += 1)
		pcm.writeInt16LE(Math.round(Math.sin((index / 24_000) * 2 * Math.PI * frequency) * 6_000), index * 2);
	return pcm;
}

function rms(pcm: Buffer): number {
	let sum = 0;
	const count = Math.floor(pcm.byteLength / 2);
	for (let index = 0; index < count; index += 1) sum += pcm.readInt16LE(index * 2) ** 2;
	return count ? Math.sqrt(sum / count) : 0;
}

class FakeSession {
	readonly id = `sess_${randomUUID().slice(0, 12)}`;
	refused: string | null = null;
	instructions = '';
	session: Record<string, unknown> | null = null;
	readonly eventTypes: string[] = [];
	readonly protocolErrors: string[] = [];
	readonly audio: Buffer[] = [];
	audioBytes = 0;
	readonly items: FakeSessionSummary['items'] = [];
	readonly replies: Reply[] = [];
	readonly truncates: FakeSessionSummary['truncates'] = [];
	closed = false;
	private bufferMs = 0;
	private speaking: { itemId: string; startMs: number; quietMs: number } | null = null;
	private transcriptIndex = 0;
	private active: Reply | null = null;

	readonly socket: WebSocket;
	readonly model: string | null;
	private readonly options: Required<Omit<FakeRealtimeOptions, 'port'>>;

	constructor(socket: WebSocket, model: string | null, options: Required<Omit<FakeRealtimeOptions, 'port'>>) {
		this.socket = socket;
		this.model = model;
		this.options = options;
	}

	private get apiKey(): string {
		return this.options.apiKey;
	}

	send(event: Record<string, unknown>): void {
		if (this.socket.readyState === this.socket.OPEN)
			this.socket.send(JSON.stringify({ event_id: `event_${randomUUID().slice(0, 8)}`, ...event }));
	}

	private fail(message: string, code = 'invalid_request_error'): void {
		this.protocolErrors.push(message);
		this.send({ type: 'error', error: { type: 'invalid_request_error', code, message, event_id: null } });
	}

	summary(): FakeSessionSummary {
		return {
			id: this.id,
			model: this.model,
			refused: this.refused,
			instructions: this.instructions,
			session: this.session,
			eventTypes: this.eventTypes,
			protocolErrors: this.protocolErrors,
			audioBytes: this.audioBytes,
			audioSha256: sha256(Buffer.concat(this.audio)),
			items: this.items,
			replies: this.replies.map((reply) => ({
				itemId: reply.itemId,
				transcript: reply.transcript,
				audioSha256: sha256(reply.audio),
				audioBytes: reply.audio.byteLength,
				status: reply.status
			})),
			truncates: this.truncates,
			closed: this.closed
		};
	}

	onMessage(data: string): void {
		let event: Record<string, any>;
		try {
			event = JSON.parse(data);
		} catch {
			return this.fail('The message is not JSON.');
		}
		this.eventTypes.push(String(event.type));
		if (event.type !== 'session.update' && !this.session) return this.fail(`${event.type} before session.update`);
		switch (event.type) {
			case 'session.update':
				return this.onSessionUpdate(event.session ?? {});
			case 'input_audio_buffer.append':
				return this.onAppend(event.audio);
			case 'conversation.item.create':
				return this.onItem(event.item ?? {});
			case 'conversation.item.truncate':
				return this.onTruncate(event);
			case 'response.create':
				// Echo mode answers audio with audio only; a reply would skew the benchmark.
				return this.options.mode === 'echo' ? undefined : this.respond();
			case 'response.cancel':
				if (!this.active) return this.fail('There is no active response to cancel.', 'response_cancel_not_active');
				this.active.status = 'cancelled';
				return;
			case 'input_audio_buffer.commit':
			case 'input_audio_buffer.clear':
				return;
			default:
				return this.fail(`Unknown or retired event type: ${event.type}`);
		}
	}

	private onSessionUpdate(session: Record<string, any>): void {
		if (session.type !== 'realtime') return this.fail('session.type must be "realtime"');
		if ('input_audio_format' in session || 'output_audio_format' in session || 'modalities' in session)
			return this.fail('beta session fields are not accepted');
		const input = session.audio?.input ?? {};
		if (input.format && (input.format.type !== 'audio/pcm' || input.format.rate !== 24_000))
			return this.fail('audio.input.format must be audio/pcm at 24000');
		const voice = session.audio?.output?.voice;
		if (voice && !['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'].includes(voice))
			return this.fail(`unknown voice ${voice}`);
		this.session = session;
		if (typeof session.instructions === 'string') this.instructions = session.instructions;
		this.send({ type: 'session.updated', session: { ...session, id: this.id } });
	}

	private onAppend(audio: unknown): void {
		if (typeof audio !== 'string' || !BASE64.test(audio) || audio.length % 4 !== 0) return this.fail('audio must be base64');
		const pcm = Buffer.from(audio, 'base64');
		if (pcm.toString('base64') !== audio || pcm.byteLength % 2 !== 0) return this.fail('audio must be base64 PCM16');
		this.audio.push(pcm);
		this.audioBytes += pcm.byteLength;
		const ms = pcm.byteLength / 48;
		if (this.options.mode === 'echo') {
			this.send({
				type: 'response.output_audio.delta',
				response_id: 'resp_echo',
				item_id: 'item_echo',
				output_index: 0,
				content_index: 0,
				delta: audio
			});
			return;
		}
		const loud = rms(pcm) > 1_000;
		if (loud && !this.speaking) {
			const itemId = `item_${randomUUID().slice(0, 12)}`;
			this.speaking = { itemId, startMs: Math.round(this.bufferMs), quietMs: 0 };
			this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(this.bufferMs), item_id: itemId });
			if (this.active) this.active.status = 'cancelled';
		} else if (this.speaking) {
			this.speaking.quietMs = loud ? 0 : this.speaking.quietMs + ms;
			if (this.speaking.quietMs >= 300) {
				const { itemId } = this.speaking;
				this.speaking = null;
				this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(this.bufferMs + ms), item_id: itemId });
				this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: null });
				this.send({
					type: 'conversation.item.added',
					item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_audio', transcript: null }] }
				});
				const transcript = this.options.transcripts[this.transcriptIndex++ % this.options.transcripts.length]!;
				this.items.push({ role: 'user', type: 'input_audio', text: transcript });
				// As in the real service, the reply can start before the transcription arrives.
				this.respond(() =>
					this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript })
				);
			}
		}
		this.bufferMs += ms;
	}

	private onItem(item: Record<string, any>): void {
		if (item.type !== 'message') return this.fail('only message items are supported by the fake');
		const allowed: Record<string, string[]> = {
			user: ['input_text', 'input_audio'],
			system: ['input_text'],
			assistant: ['output_text', 'output_audio']
		};
		const content = Array.isArray(item.content) ? item.content : [];
		if (!allowed[item.role] || content.length === 0 || content.some((part: any) => !allowed[item.role]!.includes(part.type))) {
			return this.fail(`bad content for a ${item.role} message: ${JSON.stringify(content.map((part: any) => part.type))}`);
		}
		const id = item.id ?? `item_${randomUUID().slice(0, 12)}`;
		if (item.role === 'user' && String(content[0].text ?? '').includes('[[upstream-error]]')) {
			// An upstream error whose message quotes the key, as OpenAI's auth errors do: the app must not pass it on.
			this.send({
				type: 'error',
				error: {
					type: 'invalid_request_error',
					code: 'invalid_api_key',
					message: `Incorrect API key provided: ${this.apiKey}.`,
					event_id: null
				}
			});
			return;
		}
		this.items.push({
			role: item.role,
			type: content[0].type,
			text: content.map((part: any) => part.text ?? part.transcript ?? '').join(' ')
		});
		this.send({ type: 'conversation.item.added', item: { ...item, id } });
		this.send({ type: 'conversation.item.done', item: { ...item, id } });
	}

	private onTruncate(event: Record<string, any>): void {
		const reply = this.replies.find((candidate) => candidate.itemId === event.item_id);
		if (!reply) return this.fail('unknown item', 'item_truncate_invalid_item_id');
		if (typeof event.audio_end_ms !== 'number' || event.audio_end_ms < 0 || event.audio_end_ms > reply.audio.byteLength / 48)
			return this.fail('audio_end_ms out of range');
		this.truncates.push({ item_id: event.item_id, content_index: event.content_index, audio_end_ms: event.audio_end_ms });
		this.send({
			type: 'conversation.item.truncated',
			item_id: event.item_id,
			content_index: event.content_index,
			audio_end_ms: event.audio_end_ms
		});
	}

	private respond(afterFirstDelta?: () => void): void {
		if (this.active && this.active.status === 'in_progress') {
			afterFirstDelta?.();
			return this.fail('Conversation already has an active response', 'conversation_already_has_active_response');
		}
		// Replayed interviewer items count: a reconnected interview continues its script.
		const said = this.items.filter((item) => item.role === 'assistant').length + this.replies.length;
		const transcript = this.options.replies[Math.min(said, this.options.replies.length - 1)]!;
		const reply: Reply = {
			responseId: `resp_${randomUUID().slice(0, 12)}`,
			itemId: `item_${randomUUID().slice(0, 12)}`,
			transcript,
			audio: synthAudio(transcript, this.options.msPerChar),
			status: 'in_progress'
		};
		this.replies.push(reply);
		this.active = reply;
		const base = { response_id: reply.responseId, item_id: reply.itemId, output_index: 0, content_index: 0 };
		this.send({ type: 'response.created', response: { id: reply.responseId, status: 'in_progress' } });
		this.send({
			type: 'response.output_item.added',
			response_id: reply.responseId,
			output_index: 0,
			item: { id: reply.itemId, type: 'message', role: 'assistant' }
		});
		this.send({ type: 'conversation.item.added', item: { id: reply.itemId, type: 'message', role: 'assistant', content: [] } });
		const chunk = 4_800; // 100 ms
		for (let offset = 0; offset < reply.audio.byteLength; offset += chunk) {
			this.send({ type: 'response.output_audio.delta', ...base, delta: reply.audio.subarray(offset, offset + chunk).toString('base64') });
			if (offset === 0) afterFirstDelta?.();
		}
		for (const word of transcript.split(' ')) this.send({ type: 'response.output_audio_transcript.delta', ...base, delta: `${word} ` });
		this.send({ type: 'response.output_audio.done', ...base });
		this.send({ type: 'response.output_audio_transcript.done', ...base, transcript });
		this.send({
			type: 'response.output_item.done',
			response_id: reply.responseId,
			output_index: 0,
			item: { id: reply.itemId, type: 'message', role: 'assistant', status: 'completed' }
		});
		if (reply.status === 'in_progress') reply.status = 'completed';
		this.send({
			type: 'response.done',
			response: {
				id: reply.responseId,
				status: reply.status,
				usage: {
					total_tokens: 150,
					input_tokens: 100,
					output_tokens: 50,
					input_token_details: { text_tokens: 80, audio_tokens: 20, cached_tokens: 0 },
					output_token_details: { text_tokens: 10, audio_tokens: 40 }
				}
			}
		});
		this.active = null;
	}
}

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

	const drop = (match: string) => {
		let count = 0;
		for (const session of sessions) {
			if (!session.closed && session.instructions.includes(match)) {
				session.socket.terminate();
				count += 1;
			}
		}
		return count;
	};

	const server: Server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://fake');
		const json = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		if (url.pathname === '/__sessions') {
			const match = url.searchParams.get('match');
			return json(
				200,
				sessions.filter((session) => !match || session.instructions.includes(match)).map((session) => session.summary())
			);
		}
		if (url.pathname === '/__drop' && request.method === 'POST')
			return json(200, { dropped: drop(url.searchParams.get('match') ?? '\u0000') });
		if (url.pathname === '/__reset' && request.method === 'POST') {
			sessions = [];
			return json(200, { ok: true });
		}
		json(404, { error: { message: 'not found' } });
	});

	const wss = new WebSocketServer({ noServer: true });
	server.on('upgrade', (request: IncomingMessage, socket, head) => {
		const url = new URL(request.url ?? '/', 'http://fake');
		const auth = request.headers.authorization;
		if (!url.pathname.endsWith('/realtime') || auth !== `Bearer ${settings.apiKey}`) {
			socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n{"error":{"message":"Incorrect API key provided"}}');
			return;
		}
		wss.handleUpgrade(request, socket, head, (ws) => {
			const session = new FakeSession(ws, url.searchParams.get('model'), settings);
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
			session.send({ type: 'session.created', session: { id: session.id, type: 'realtime', model: session.model } });
		});
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
