/**
 * A fake Workers AI binding with the real models' shapes and the binding's own typed `run`:
 * Deepgram Flux over a WebSocket (`{ websocket: true }` returns a 101 Response; TurnInfo events
 * with StartOfTurn/EndOfTurn), a text-generation stream (SSE of `{ response }`, then `[DONE]`),
 * and Aura speech as linear16 bytes (the raw Response with `returnRawResponse`, else its body, as
 * the binding hands it over). It records what it received so tests can compare bytes.
 */
import { LLM_MODEL, STT_MODEL, TTS_MODEL } from '../../worker/ai/workers-ai';

export const AI_REPLIES = [
	'Hello, thanks for joining. What is your role?',
	'Thank you. Which tools do you use every day?',
	'Interesting. How did your first week go?',
	'Thank you for your time. Goodbye.'
];
export const AI_TRANSCRIPTS = ['I run the support team at a small bakery.', 'Mostly a spreadsheet and email.'];
const AURA_VOICES: string[] = [
	'angus',
	'asteria',
	'arcas',
	'orion',
	'orpheus',
	'athena',
	'luna',
	'zeus',
	'perseus',
	'helios',
	'hera',
	'stella'
];

type Message = { role: string; content: string };

/** Deterministic speech for a sentence: a tone whose pitch depends on the text, 30 ms per character. */
export function speech(text: string): Uint8Array {
	const samples = Math.max(1_200, text.length * 30 * 24);
	const seed = [...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 11);
	const pcm = new Int16Array(samples);
	for (let index = 0; index < samples; index += 1)
		pcm[index] = Math.round(Math.sin((index / 24_000) * 2 * Math.PI * (200 + (seed % 150))) * 5_000);
	return new Uint8Array(pcm.buffer);
}

function energy(pcm: ArrayBuffer): number {
	const samples = new Int16Array(pcm, 0, Math.floor(pcm.byteLength / 2));
	let sum = 0;
	for (const sample of samples) sum += sample * sample;
	return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

export function createFakeAi() {
	const record = {
		sttSockets: [] as Array<{ inputs: Record<string, unknown>; audio: ArrayBuffer[]; server: WebSocket }>,
		llm: [] as Message[][],
		tts: [] as Array<{ text: string; speaker: string; pcm: Uint8Array }>,
		errors: [] as string[]
	};
	let transcriptIndex = 0;
	let dropOnNextAudio = false;

	function stt(inputs: Record<string, unknown>, options: AiOptions): Response {
		if (options.websocket !== true) record.errors.push('flux needs { websocket: true }');
		if (inputs.encoding !== 'linear16' || String(inputs.sample_rate) !== '24000')
			record.errors.push(`flux inputs ${JSON.stringify(inputs)}`);
		const { 0: client, 1: server } = new WebSocketPair();
		server.accept();
		const entry = { inputs, audio: [] as ArrayBuffer[], server };
		record.sttSockets.push(entry);
		let sentMs = 0;
		let turn: { startMs: number; quietMs: number } | null = null;
		let turnIndex = 0;
		const send = (event: Record<string, unknown>) => server.send(JSON.stringify({ request_id: 'req-fake', sequence_id: 0, ...event }));
		server.addEventListener('message', async (event) => {
			if (typeof event.data === 'string') return;
			if (dropOnNextAudio) {
				// Closed from inside the handler: the socket belongs to the Durable Object's I/O context.
				dropOnNextAudio = false;
				server.close(1011, 'upstream went away');
				return;
			}
			const pcm = event.data instanceof Blob ? await event.data.arrayBuffer() : (event.data as ArrayBuffer);
			entry.audio.push(pcm);
			const ms = pcm.byteLength / 48;
			const loud = energy(pcm) > 1_000;
			if (loud && !turn) {
				turn = { startMs: sentMs, quietMs: 0 };
				send({
					type: 'TurnInfo',
					event: 'StartOfTurn',
					turn_index: turnIndex,
					audio_window_start: sentMs / 1000,
					audio_window_end: (sentMs + ms) / 1000,
					transcript: '',
					words: [],
					end_of_turn_confidence: 0
				});
			} else if (turn) {
				turn.quietMs = loud ? 0 : turn.quietMs + ms;
				if (turn.quietMs >= 300) {
					const transcript = AI_TRANSCRIPTS[transcriptIndex++ % AI_TRANSCRIPTS.length]!;
					send({
						type: 'TurnInfo',
						event: 'EndOfTurn',
						turn_index: turnIndex++,
						audio_window_start: turn.startMs / 1000,
						audio_window_end: (sentMs + ms) / 1000,
						transcript,
						words: transcript.split(' ').map((word) => ({ word, confidence: 0.9 })),
						end_of_turn_confidence: 0.9
					});
					turn = null;
				}
			}
			sentMs += ms;
		});
		send({ type: 'Connected' });
		return new Response(null, { status: 101, webSocket: client });
	}

	function llm(inputs: Record<string, unknown>): ReadableStream<Uint8Array> {
		const messages = inputs.messages as Message[];
		if (!Array.isArray(messages) || messages[0]?.role !== 'system' || inputs.stream !== true)
			record.errors.push('llm needs messages with a system prompt and stream: true');
		record.llm.push(messages);
		const said = messages.filter((message) => message.role === 'assistant').length;
		const reply = AI_REPLIES[Math.min(said, AI_REPLIES.length - 1)]!;
		const pieces = reply.match(/.{1,7}/gs) ?? [];
		const encoder = new TextEncoder();
		const events = [
			...pieces.map((piece) => `data: ${JSON.stringify({ response: piece, p: 'abc' })}\n\n`),
			`data: ${JSON.stringify({ response: '', usage: { prompt_tokens: 120, completion_tokens: 14, total_tokens: 134 } })}\n\n`,
			'data: [DONE]\n\n'
		];
		return new ReadableStream({
			start(controller) {
				for (const event of events) controller.enqueue(encoder.encode(event));
				controller.close();
			}
		});
	}

	function tts(inputs: Ai_Cf_Deepgram_Aura_1_Input): Response {
		const { text } = inputs;
		const speaker = inputs.speaker ?? 'angus';
		if (!AURA_VOICES.includes(speaker)) record.errors.push(`aura has no speaker ${speaker}`);
		if (inputs.encoding !== 'linear16' || inputs.container !== 'none' || inputs.sample_rate !== 24_000)
			record.errors.push(`aura output ${JSON.stringify(inputs)}`);
		const pcm = speech(text);
		record.tts.push({ text, speaker, pcm });
		// Odd-sized chunks, as a network stream would deliver them.
		const body = new ReadableStream({
			start(controller) {
				for (let offset = 0; offset < pcm.byteLength; offset += 1_001) controller.enqueue(pcm.slice(offset, offset + 1_001));
				controller.close();
			}
		});
		return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
	}

	/** What the binding does with a model's HTTP answer when the caller did not ask for the raw Response. */
	async function unwrap(response: Response): Promise<unknown> {
		if (!response.ok) throw new Error(await response.text());
		return response.headers.get('content-type') === 'application/json' ? response.json() : response.body;
	}

	const run = (async (model: string, inputs: Record<string, unknown>, options: AiOptions = {}) => {
		if (model === STT_MODEL) return stt(inputs, options);
		if (model === LLM_MODEL) return llm(inputs);
		if (model === TTS_MODEL) {
			const response = tts(inputs as unknown as Ai_Cf_Deepgram_Aura_1_Input);
			return options.returnRawResponse ? response : unwrap(response);
		}
		throw new Error(`the fake AI binding has no model ${model}`);
	}) as Ai['run'];

	return {
		record,
		/** The speech-to-text socket closes (1011) when the next audio frame reaches it, as a dropped upstream would. */
		dropSttOnNextAudio() {
			dropOnNextAudio = true;
		},
		/** The binding's `run`, typed as the real one: install it with `vi.spyOn(env.AI, 'run').mockImplementation(fake.run)`. */
		run
	} satisfies Pick<Ai, 'run'> & Record<string, unknown>;
}
