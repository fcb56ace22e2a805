import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import { buildInstructions, wrapUpNote } from '../instructions';
import { durationMs, spokenPart } from '../pcm';
import type { ProviderContext, ProviderSession } from '../provider';
import { readSse, sentences, streamBytes, toFrames } from './stream';

export const STT_MODEL = '@cf/deepgram/flux';
export const LLM_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';
export const TTS_MODEL = '@cf/deepgram/aura-1';

const MAX_BUFFERED_MS = 20_000;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];
const OPENING = '(The respondent has joined. Greet them briefly and ask the first question.)';

/** The slice of the AI binding the cascade uses; tests pass a fake with the same shapes. */
export type AiRunner = { run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown> };
export type WorkersAiOptions = { ai: AiRunner | Ai; backoffMs?: number[] };

/** A Deepgram Flux TurnInfo message (times in seconds of the audio sent on this socket). */
type FluxEvent = { type: string; event?: string; transcript?: string; audio_window_start?: number; audio_window_end?: number; turn_index?: number };
type Reply = { key: string; generation: number; startMs: number | null; firstAudioAt: number | null; audioMs: number; fullMs: number; text: string; cutAtMs: number | null; stored: boolean };

/**
 * The Workers AI cascade: Deepgram Flux transcribes and detects turns over a WebSocket, Llama
 * writes the interviewer's reply as a stream, and Aura speaks it sentence by sentence as
 * linear16 24 kHz, which is what the browser plays.
 */
export function createWorkersAiSession(context: ProviderContext, options: WorkersAiOptions): ProviderSession {
	const { events, brief, memory } = context;
	const ai = options.ai as AiRunner;
	const backoff = options.backoffMs ?? BACKOFF_MS;
	const elapsed = context.elapsedMs ?? (() => brief.durationMinutes * 60_000 - context.remainingMs());

	let stt: WebSocket | null = null;
	let closed = false;
	let attempt = 0;
	let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
	let pending: Array<{ pcm: ArrayBuffer; atMs: number }> = [];
	let pendingMs = 0;
	let sttMs = 0;
	const audioMarks: Array<{ sttMs: number; atMs: number }> = [];
	let generation = 0;
	let current: Reply | null = null;
	let speech: { startMs: number } | null = null;
	let unreportedSttMs = 0;

	const nextKey = () => {
		const count = (memory.get<number>('workers-ai.turns') ?? 0) + 1;
		memory.set('workers-ai.turns', count);
		return `wai-${count}`;
	};

	function place(seconds: number | undefined): number {
		if (seconds === undefined) return elapsed();
		const ms = seconds * 1000;
		let best = audioMarks[0];
		for (const mark of audioMarks) {
			if (mark.sttMs > ms) break;
			best = mark;
		}
		return best ? Math.max(0, Math.round(best.atMs + (ms - best.sttMs))) : elapsed();
	}

	async function openStt(): Promise<void> {
		const response = (await ai.run(STT_MODEL, { encoding: 'linear16', sample_rate: String(SAMPLE_RATE) }, { websocket: true })) as Response;
		const socket = response.webSocket;
		if (!socket) throw new Error('speech-to-text did not open a WebSocket');
		socket.accept();
		if (closed) {
			socket.close(1000, 'interview ended');
			return;
		}
		stt = socket;
		sttMs = 0;
		audioMarks.length = 0;
		socket.addEventListener('message', (event) => {
			if (typeof event.data === 'string') onStt(JSON.parse(event.data) as FluxEvent);
		});
		socket.addEventListener('close', (event) => onSttClosed(socket, event.code));
		socket.addEventListener('error', () => onSttClosed(socket, 1006));
		const queued = pending;
		pending = [];
		pendingMs = 0;
		for (const pcm of queued) forward(pcm.pcm, pcm.atMs);
		attempt = 0;
	}

	function forward(pcm: ArrayBuffer, atMs: number): void {
		audioMarks.push({ sttMs, atMs });
		if (audioMarks.length > 4_096) audioMarks.splice(0, 2_048);
		sttMs += durationMs(pcm.byteLength);
		stt!.send(pcm);
		unreportedSttMs += durationMs(pcm.byteLength);
	}

	/** Speech-to-text minutes are reported per turn, not per frame: usage is a storage write. */
	function reportStt(): void {
		if (unreportedSttMs <= 0) return;
		events.usage?.({ 'workers-ai.stt_audio_ms': Math.round(unreportedSttMs) });
		unreportedSttMs = 0;
	}

	function onSttClosed(socket: WebSocket, code: number): void {
		if (socket !== stt) return;
		stt = null;
		if (code === 1005 || code === 1006) {
			try {
				socket.close();
			} catch {}
		}
		if (!closed) scheduleReconnect();
	}

	function scheduleReconnect(): void {
		if (closed || reconnectTimer) return;
		const delay = backoff[Math.min(attempt, backoff.length - 1)]!;
		attempt += 1;
		reconnectTimer = setTimeout(() => {
			reconnectTimer = null;
			openStt().catch(() => {
				if (attempt === 3) events.error('provider_reconnecting', 'speech recognition: reconnect attempt 3 failed');
				scheduleReconnect();
			});
		}, delay);
	}

	function onStt(event: FluxEvent): void {
		if (event.type !== 'TurnInfo') return;
		if (event.event === 'StartOfTurn') {
			speech = { startMs: place(event.audio_window_start) };
			interrupt();
			return;
		}
		if (event.event === 'EndOfTurn') {
			const text = (event.transcript ?? '').trim();
			const startMs = speech?.startMs ?? place(event.audio_window_start);
			speech = null;
			reportStt();
			if (!text) return;
			void Promise.resolve(events.turn({ key: nextKey(), role: 'respondent', text, final: true, startMs, endMs: place(event.audio_window_end) })).then(() => reply());
		}
	}

	/** Barge-in: stop the browser's playback, drop the rest of the reply, keep what was heard. */
	function interrupt(): void {
		events.speechStarted();
		const speaking = current;
		generation += 1;
		if (!speaking || speaking.cutAtMs !== null) return;
		const played = speaking.firstAudioAt === null ? 0 : Math.min(speaking.audioMs, Date.now() - speaking.firstAudioAt);
		if (speaking.stored && played >= speaking.audioMs) return;
		speaking.cutAtMs = Math.round(played);
		// Already stored in full (all of it was synthesized, not all heard): store the heard part instead.
		if (speaking.stored) storeReply(speaking);
	}

	function storeReply(reply: Reply): void {
		const fullMs = Math.max(reply.fullMs, reply.audioMs);
		const text = reply.cutAtMs === null ? reply.text : spokenPart(reply.text, reply.cutAtMs, fullMs);
		if (!text.trim()) return;
		reply.stored = true;
		void events.turn({ key: reply.key, role: 'interviewer', text: text.trim(), final: true, startMs: reply.startMs ?? elapsed() });
	}

	function messages(note: string | null) {
		const history = context.history
			.filter((turn) => turn.final && turn.transcribed !== false && turn.text.trim())
			.map((turn) => ({ role: turn.role === 'interviewer' ? 'assistant' : 'user', content: turn.text }));
		// Chat templates expect a user turn before the assistant's first: the opening cue stands in for it.
		if (history[0]?.role === 'assistant') history.unshift({ role: 'user', content: OPENING });
		const list = [{ role: 'system', content: buildInstructions(brief, context.remainingMs()) }, ...history];
		if (note) list.push({ role: 'user', content: note });
		return list;
	}

	async function speak(text: string, reply: Reply): Promise<number> {
		const audio = await ai.run(TTS_MODEL, { text, speaker: brief.voice, encoding: 'linear16', container: 'none', sample_rate: SAMPLE_RATE });
		const bytes = await streamBytes(audio);
		events.usage?.({ 'workers-ai.tts_characters': text.length });
		for (const frame of toFrames(bytes)) {
			if (reply.generation !== generation) break;
			if (reply.firstAudioAt === null) {
				reply.firstAudioAt = Date.now();
				reply.startMs = elapsed();
			}
			reply.audioMs += durationMs(frame.byteLength);
			events.audio(frame);
		}
		return durationMs(bytes.byteLength);
	}

	/** One interviewer reply: the LLM streams, and each finished sentence is spoken in order. */
	async function reply(note: string | null = null): Promise<void> {
		if (closed) return;
		generation += 1;
		const mine: Reply = { key: nextKey(), generation, startMs: null, firstAudioAt: null, audioMs: 0, fullMs: 0, text: '', cutAtMs: null, stored: false };
		current = mine;
		let speaking = Promise.resolve();
		try {
			const stream = await ai.run(LLM_MODEL, { messages: messages(note), stream: true, max_tokens: 400 });
			const splitter = sentences();
			const say = (sentence: string) => {
				speaking = speaking.then(async () => {
					if (mine.generation === generation) mine.fullMs += await speak(sentence, mine);
					else mine.fullMs += sentence.length * 60;
				});
			};
			for await (const chunk of readSse(stream)) {
				if (chunk.usage) events.usage?.(Object.fromEntries(Object.entries(chunk.usage).filter(([, v]) => typeof v === 'number').map(([k, v]) => [`workers-ai.llm_${k}`, v as number])));
				if (!chunk.response) continue;
				mine.text += chunk.response;
				for (const sentence of splitter.push(chunk.response)) say(sentence);
			}
			const rest = splitter.end();
			if (rest) say(rest);
			await speaking;
		} catch (error) {
			events.error('provider_error', `reply failed: ${error instanceof Error ? error.message : String(error)}`);
			return;
		}
		storeReply(mine);
	}

	return {
		name: 'workers-ai',
		async start() {
			const isNew = !context.history.some((turn) => turn.role === 'interviewer');
			try {
				await openStt();
			} catch (error) {
				scheduleReconnect();
				throw error;
			}
			if (isNew) void reply(OPENING);
		},
		sendAudio(pcm, atMs) {
			if (stt) return forward(pcm, atMs);
			if (pendingMs + durationMs(pcm.byteLength) > MAX_BUFFERED_MS) return;
			pendingMs += durationMs(pcm.byteLength);
			pending.push({ pcm, atMs });
		},
		sendText() {
			if (current) interrupt();
			void reply();
		},
		wrapUp(remainingMs) {
			void reply(wrapUpNote(remainingMs));
		},
		async close() {
			closed = true;
			generation += 1;
			reportStt();
			if (reconnectTimer) clearTimeout(reconnectTimer);
			const socket = stt;
			stt = null;
			try {
				socket?.close(1000, 'interview ended');
			} catch {}
		}
	};
}

