import { buildInstructions, wrapUpNote } from '../instructions';
import { redactSecrets } from '../../lib/redact';
import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import { durationMs, fromBase64, spokenPart, toBase64 } from '../pcm';
import { connectWebSocket, UpstreamError } from '../upstream';
import type { ProviderContext, ProviderSession } from '../provider';

/** OpenAI closes a session after 60 minutes; we move to a fresh one a little before. */
export const SESSION_LIMIT_MS = 58 * 60_000;
/** Audio kept while the upstream is (re)connecting, flushed to it once it is open. */
const MAX_BUFFERED_MS = 20_000;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000];
/** Error codes that say a harmless thing happened (cancelling a reply that already ended). */
const QUIET_ERRORS = new Set(['response_cancel_not_active', 'item_truncate_invalid_item_id', 'conversation_already_has_active_response']);

export type OpenAiOptions = {
	apiKey: string;
	url: string;
	model: string;
	connect?: (url: string, headers: Record<string, string>) => Promise<WebSocket>;
	backoffMs?: number[];
	/** When to move to a fresh upstream session (default: a little under OpenAI's 60-minute cap). */
	sessionLimitMs?: number;
};

type ServerEvent = { type: string; [key: string]: unknown };
type Reply = { itemId: string; firstAudioAt: number | null; startMs: number | null; audioMs: number; transcript: string | null; cutAtMs: number | null };

/**
 * OpenAI Realtime (GA protocol) over one outbound WebSocket from the Interview DO. The DO relays
 * respondent PCM upstream and the interviewer's PCM back; transcripts of both sides become turns.
 * A dropped upstream is reopened with backoff and the stored turns are replayed as items.
 */
export function createOpenAiSession(context: ProviderContext, options: OpenAiOptions): ProviderSession {
	const { events, brief } = context;
	const connect = options.connect ?? connectWebSocket;
	const backoff = options.backoffMs ?? BACKOFF_MS;
	const elapsed = context.elapsedMs ?? (() => brief.durationMinutes * 60_000 - context.remainingMs());

	let socket: WebSocket | null = null;
	let ready = false;
	let closed = false;
	let attempt = 0;
	let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	let rotateTimer: ReturnType<typeof setTimeout> | null = null;
	/** Messages (mostly audio) waiting for the upstream to be open. */
	let pending: string[] = [];
	let pendingMs = 0;
	let responseActive = false;
	let wantResponse = false;
	/** Respondent audio position on the upstream timeline → interview time, to place speech_started. */
	let upstreamMs = 0;
	const audioMarks: Array<{ upstreamMs: number; atMs: number }> = [];
	const speechStart = new Map<string, number>();
	const replies = new Map<string, Reply>();
	let current: Reply | null = null;

	const safe = (text: string) => redactSecrets(text, [options.apiKey]);

	function send(event: Record<string, unknown>): void {
		const data = JSON.stringify(event);
		if (ready && socket) {
			socket.send(data);
			return;
		}
		pending.push(data);
	}

	function askForReply(): void {
		if (responseActive) {
			wantResponse = true;
			return;
		}
		responseActive = true;
		send({ type: 'response.create' });
	}

	function sessionUpdate() {
		const transcription: Record<string, unknown> = { model: 'gpt-4o-mini-transcribe' };
		if (brief.language && brief.language !== 'auto') transcription.language = brief.language;
		return {
			type: 'session.update',
			session: {
				type: 'realtime',
				instructions: buildInstructions(brief, context.remainingMs()),
				audio: {
					input: {
						format: { type: 'audio/pcm', rate: SAMPLE_RATE },
						transcription,
						turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true, silence_duration_ms: 600 }
					},
					output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: brief.voice }
				}
			}
		};
	}

	/** The stored conversation as items, so a new upstream session remembers what was said. */
	function replay(): boolean {
		const turns = context.history.filter((turn) => turn.final && turn.transcribed !== false && turn.text.trim());
		for (const turn of turns) {
			const assistant = turn.role === 'interviewer';
			send({
				type: 'conversation.item.create',
				item: { type: 'message', role: assistant ? 'assistant' : 'user', content: [{ type: assistant ? 'output_text' : 'input_text', text: turn.text }] }
			});
		}
		return turns.length > 0 && turns[turns.length - 1]!.role === 'respondent';
	}

	async function open(isNew: boolean): Promise<void> {
		const url = `${options.url}${options.url.includes('?') ? '&' : '?'}model=${encodeURIComponent(options.model)}`;
		const upstream = await connect(url, { Authorization: `Bearer ${options.apiKey}` });
		if (closed) {
			upstream.close(1000, 'interview ended');
			return;
		}
		socket = upstream;
		upstreamMs = 0;
		audioMarks.length = 0;
		responseActive = false;
		wantResponse = false;
		current = null;
		upstream.addEventListener('message', (event) => {
			if (typeof event.data === 'string') onEvent(JSON.parse(event.data) as ServerEvent);
		});
		upstream.addEventListener('close', (event) => onClose(upstream, event.code));
		upstream.addEventListener('error', () => onClose(upstream, 1006));

		// Configuration and context go first, then the audio the respondent sent while we connected.
		// Queued items are dropped: typed answers are stored turns, and the replay carries them.
		const queued = pending.filter((data) => data.startsWith('{"type":"input_audio_buffer.append"'));
		pending = [];
		pendingMs = 0;
		upstream.send(JSON.stringify(sessionUpdate()));
		ready = true;
		const awaitingReply = replay();
		if (isNew) askForReply();
		else if (awaitingReply) askForReply();
		for (const data of queued) upstream.send(data);
		attempt = 0;
		if (rotateTimer) clearTimeout(rotateTimer);
		rotateTimer = setTimeout(() => rotate(), options.sessionLimitMs ?? SESSION_LIMIT_MS);
	}

	function rotate(): void {
		if (closed || !socket) return;
		// Not in the middle of a reply: try again shortly.
		if (responseActive) {
			rotateTimer = setTimeout(() => rotate(), 1_000);
			return;
		}
		const old = socket;
		socket = null;
		ready = false;
		old.close(1000, 'session limit');
		void reopen();
	}

	function onClose(which: WebSocket, code: number): void {
		if (which !== socket) return;
		socket = null;
		ready = false;
		if (code === 1005 || code === 1006) {
			try {
				which.close();
			} catch {}
		}
		if (closed) return;
		scheduleReconnect();
	}

	function scheduleReconnect(): void {
		if (closed || reconnectTimer) return;
		const delay = backoff[Math.min(attempt, backoff.length - 1)]!;
		attempt += 1;
		reconnectTimer = setTimeout(() => {
			reconnectTimer = null;
			void reopen();
		}, delay);
	}

	async function reopen(): Promise<void> {
		try {
			await open(false);
		} catch (error) {
			if (attempt === 3) events.error('provider_reconnecting', `reconnect attempt ${attempt} failed: ${error instanceof Error ? safe(error.message) : 'unknown'}`);
			if (error instanceof UpstreamError && error.code === 'provider_auth') {
				events.error('provider_auth', safe(error.message));
				return;
			}
			scheduleReconnect();
		}
	}

	function placeSpeech(audioStartMs: number): number {
		let best = audioMarks[0];
		for (const mark of audioMarks) {
			if (mark.upstreamMs > audioStartMs) break;
			best = mark;
		}
		return best ? Math.max(0, best.atMs + (audioStartMs - best.upstreamMs)) : elapsed();
	}

	function replyFor(itemId: string): Reply {
		let reply = replies.get(itemId);
		if (!reply) {
			reply = { itemId, firstAudioAt: null, startMs: null, audioMs: 0, transcript: null, cutAtMs: null };
			replies.set(itemId, reply);
			if (replies.size > 32) replies.delete(replies.keys().next().value!);
		}
		return reply;
	}

	function storeReply(reply: Reply): void {
		if (reply.transcript === null) return;
		const text = reply.cutAtMs === null ? reply.transcript : spokenPart(reply.transcript, reply.cutAtMs, reply.audioMs);
		void events.turn({ key: `openai-${reply.itemId}`, role: 'interviewer', text, final: true, startMs: reply.startMs ?? elapsed() });
	}

	/** Barge-in: stop the browser's playback, cancel the reply and cut it to what was heard. */
	function interrupt(): void {
		events.speechStarted();
		const reply = current;
		if (!reply || reply.firstAudioAt === null || reply.cutAtMs !== null) return;
		const played = Math.min(reply.audioMs, Date.now() - reply.firstAudioAt);
		if (played >= reply.audioMs) return;
		reply.cutAtMs = Math.max(0, Math.round(played));
		if (responseActive) send({ type: 'response.cancel' });
		send({ type: 'conversation.item.truncate', item_id: reply.itemId, content_index: 0, audio_end_ms: reply.cutAtMs });
		storeReply(reply);
	}

	function onEvent(event: ServerEvent): void {
		switch (event.type) {
			case 'input_audio_buffer.speech_started': {
				const itemId = String(event.item_id ?? '');
				speechStart.set(itemId, placeSpeech(Number(event.audio_start_ms ?? upstreamMs)));
				interrupt();
				return;
			}
			case 'conversation.item.input_audio_transcription.completed': {
				const itemId = String(event.item_id ?? '');
				const text = String(event.transcript ?? '').trim();
				if (!text) return;
				const startMs = speechStart.get(itemId) ?? elapsed();
				speechStart.delete(itemId);
				void events.turn({ key: `openai-${itemId}`, role: 'respondent', text, final: true, startMs });
				return;
			}
			case 'conversation.item.input_audio_transcription.failed': {
				// The voice answer is kept (the recording has it); only its words are missing.
				const itemId = String(event.item_id ?? '');
				const startMs = speechStart.get(itemId) ?? elapsed();
				speechStart.delete(itemId);
				void events.turn({ key: `openai-${itemId}`, role: 'respondent', text: '(Voice answer: the transcription failed.)', final: true, transcribed: false, startMs });
				return;
			}
			case 'response.created':
				responseActive = true;
				return;
			case 'response.output_audio.delta': {
				const reply = replyFor(String(event.item_id ?? ''));
				current = reply;
				if (reply.cutAtMs !== null) return;
				const pcm = fromBase64(String(event.delta ?? ''));
				if (reply.firstAudioAt === null) {
					reply.firstAudioAt = Date.now();
					reply.startMs = elapsed();
				}
				reply.audioMs += durationMs(pcm.byteLength);
				events.audio(pcm);
				return;
			}
			case 'response.output_audio_transcript.done':
			case 'response.output_text.done': {
				const reply = replyFor(String(event.item_id ?? ''));
				reply.transcript = String(event.transcript ?? event.text ?? '').trim();
				if (reply.startMs === null) reply.startMs = elapsed();
				if (reply.transcript) storeReply(reply);
				return;
			}
			case 'response.done': {
				responseActive = false;
				const response = (event.response ?? {}) as { usage?: Record<string, unknown> };
				if (response.usage) events.usage?.(flattenUsage(response.usage));
				if (wantResponse) {
					wantResponse = false;
					askForReply();
				}
				return;
			}
			case 'error': {
				const error = (event.error ?? {}) as { code?: string; message?: string; type?: string };
				if (error.code && QUIET_ERRORS.has(error.code)) return;
				events.error('provider_error', safe(`${error.type ?? 'error'} ${error.code ?? ''}: ${error.message ?? 'no message'}`));
				return;
			}
		}
	}

	return {
		name: 'openai',
		async start() {
			const isNew = !context.history.some((turn) => turn.role === 'interviewer');
			try {
				await open(isNew);
			} catch (error) {
				const refused = error instanceof UpstreamError && error.code === 'provider_auth';
				if (!refused) scheduleReconnect();
				throw new Error(error instanceof UpstreamError ? safe(error.message) : 'The interviewer could not connect.');
			}
		},
		sendAudio(pcm, atMs) {
			const ms = durationMs(pcm.byteLength);
			if (!ready) {
				if (pendingMs + ms > MAX_BUFFERED_MS) return;
				pendingMs += ms;
			}
			audioMarks.push({ upstreamMs, atMs });
			if (audioMarks.length > 4_096) audioMarks.splice(0, 2_048);
			upstreamMs += ms;
			send({ type: 'input_audio_buffer.append', audio: toBase64(pcm) });
		},
		sendText(text) {
			send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
			askForReply();
		},
		wrapUp(remainingMs) {
			send({ type: 'conversation.item.create', item: { type: 'message', role: 'system', content: [{ type: 'input_text', text: wrapUpNote(remainingMs) }] } });
			askForReply();
		},
		async close() {
			closed = true;
			if (reconnectTimer) clearTimeout(reconnectTimer);
			if (rotateTimer) clearTimeout(rotateTimer);
			const old = socket;
			socket = null;
			ready = false;
			try {
				old?.close(1000, 'interview ended');
			} catch {}
		}
	};
}

/** `response.usage` as flat counters: `openai.input_audio_tokens`, `openai.output_text_tokens`, … */
export function flattenUsage(usage: Record<string, unknown>): Record<string, number> {
	const out: Record<string, number> = {};
	const add = (key: string, value: unknown) => {
		if (typeof value === 'number' && Number.isFinite(value)) out[`openai.${key}`] = value;
	};
	add('input_tokens', usage.input_tokens);
	add('output_tokens', usage.output_tokens);
	add('total_tokens', usage.total_tokens);
	const input = (usage.input_token_details ?? {}) as Record<string, unknown>;
	const output = (usage.output_token_details ?? {}) as Record<string, unknown>;
	add('input_text_tokens', input.text_tokens);
	add('input_audio_tokens', input.audio_tokens);
	add('input_cached_tokens', input.cached_tokens);
	add('output_text_tokens', output.text_tokens);
	add('output_audio_tokens', output.audio_tokens);
	return out;
}
