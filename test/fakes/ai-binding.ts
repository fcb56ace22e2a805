/**
 * A fake Workers AI binding with the real models' shapes and the binding's own typed `run`:
 * Deepgram Flux and Nova-3 over a WebSocket (`workers-ai/flux.ts`, `workers-ai/nova.ts`), a Llama
 * text-generation stream (`workers-ai/llm.ts`) and Aura speech as linear16 bytes
 * (`workers-ai/aura.ts`: the raw Response with `returnRawResponse`, else its body, as the binding
 * hands it over). It records what it received so tests can compare bytes.
 */
import { AURA_1_MODEL, AURA_2_ES_MODEL, FLUX_MODEL, LLM_MODEL, NOVA_MODEL } from '../../worker/ai/workers-ai';
import { synthesize, type AuraAnswer, type Spoken } from './workers-ai/aura';
import { openFlux, type FluxShape } from './workers-ai/flux';
import { answer, CONTEXT_TOKENS, type Message, type StreamEnd } from './workers-ai/llm';
import { answerNotes, type NotesAnswer } from './workers-ai/notes';
import { openNova } from './workers-ai/nova';
import { fakeNamesIn, isNamesSchema } from './person-names';

export { speech } from './workers-ai/audio';
export { AI_REPLIES, AI_REPLIES_ES, tokensOf } from './workers-ai/llm';
export const AI_TRANSCRIPTS = ['I run the support team at a small bakery.', 'Mostly a spreadsheet and email.'];
export const AI_TRANSCRIPTS_ES = ['Dirijo el equipo de soporte de una pequeña panadería.', 'Sobre todo una hoja de cálculo y el correo.'];

/** A speech-to-text socket the fake opened: which model, what it was asked for, the audio it got. */
export type SttSocket = { model: string; inputs: Record<string, unknown>; audio: ArrayBuffer[]; server: WebSocket };

export type FakeAiOptions = {
	fluxShape?: FluxShape;
	llmStreamEnd?: StreamEnd;
	/** Nova-3 hears a noisy room: silence never counts as the end of speech, only the utterance end does. */
	noisyRoom?: boolean;
};

/** The error the binding throws for a model's error answer: `code: message` from Workers AI's JSON error. */
async function bindingError(response: Response): Promise<Error> {
	const text = await response.text();
	const error = new Error(text);
	error.name = 'InferenceUpstreamError';
	try {
		const first = (JSON.parse(text) as { errors?: Array<{ code: number; message: string }> }).errors?.[0];
		if (first) error.message = `${first.code}: ${first.message}`;
	} catch {
		// not JSON: the body is the message
	}
	return error;
}

/** What the binding does with a model's HTTP answer when the caller did not ask for the raw Response. */
async function unwrap(response: Response): Promise<unknown> {
	if (!response.ok || !response.body) throw await bindingError(response);
	return response.headers.get('content-type') === 'application/json' ? response.json() : response.body;
}

export function createFakeAi(options: FakeAiOptions = {}) {
	const record = {
		sttSockets: [] as SttSocket[],
		llm: [] as Message[][],
		/** The note-taker's prompts (JSON mode), and the JSON schema each was held to. */
		notes: [] as Array<{ messages: Message[]; schema: unknown }>,
		/** The name passes' prompts (the redaction at completion). */
		names: [] as Message[][],
		/** Prompts refused for not fitting the context window. */
		llmRefused: [] as Message[][],
		tts: [] as Spoken[],
		errors: [] as string[]
	};
	let transcriptIndex = 0;
	let dropOnNextAudio = false;
	let sttRefusal: number | null = null;
	const auraAnswers = new Map<string, AuraAnswer>();
	let sttAttempts = 0;
	let contextTokens = CONTEXT_TOKENS;
	let notesAnswer: NotesAnswer = 'read';

	const dropNow = () => {
		const drop = dropOnNextAudio;
		dropOnNextAudio = false;
		return drop;
	};

	function stt(model: typeof FLUX_MODEL | typeof NOVA_MODEL, inputs: Record<string, unknown>, runOptions: AiOptions): Response {
		if (runOptions.websocket !== true) record.errors.push(`${model} needs { websocket: true }`);
		sttAttempts += 1;
		if (sttRefusal !== null)
			return new Response(JSON.stringify({ errors: [{ code: 10000, message: 'Authentication error' }], success: false }), {
				status: sttRefusal,
				headers: { 'content-type': 'application/json' }
			});
		const spanish = inputs.language === 'es';
		const transcript = () => (spanish ? AI_TRANSCRIPTS_ES : AI_TRANSCRIPTS)[transcriptIndex++ % AI_TRANSCRIPTS.length]!;
		const { socket, response } =
			model === FLUX_MODEL
				? openFlux(
						inputs as unknown as Ai_Cf_Deepgram_Flux_Input,
						{ shape: options.fluxShape ?? 'workers-ai', transcript, dropNow },
						record.errors
					)
				: openNova(inputs, { noisy: options.noisyRoom ?? false, transcript }, record.errors);
		if (socket) record.sttSockets.push({ model, ...socket, inputs });
		return response;
	}

	function llm(inputs: Ai_Cf_Meta_Llama_3_3_70B_Instruct_Fp8_Fast_Messages & { stream?: boolean }): Response {
		const messages = inputs.messages as Message[];
		if (inputs.response_format) {
			const { type, json_schema: schema } = inputs.response_format;
			if (type !== 'json_schema' || !schema || inputs.stream) record.errors.push('JSON mode needs a json_schema and no stream');
			if (isNamesSchema(schema)) {
				record.names.push(messages);
				const names = fakeNamesIn(messages.at(-1)?.content ?? '');
				return Response.json({ response: { names }, usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } });
			}
			record.notes.push({ messages, schema });
			return answerNotes(messages, notesAnswer);
		}
		if (!Array.isArray(messages) || messages[0]?.role !== 'system' || inputs.stream !== true)
			record.errors.push('llm needs messages with a system prompt and stream: true');
		const response = answer(messages, inputs.max_tokens ?? 256, options.llmStreamEnd ?? 'done', contextTokens);
		(response.ok ? record.llm : record.llmRefused).push(messages);
		return response;
	}

	// The real `run` is overloaded per model; one implementation serves them all and dispatches on the name.
	const run = (async (model: string, inputs: Record<string, unknown>, runOptions: AiOptions = {}) => {
		if (model === FLUX_MODEL || model === NOVA_MODEL) return stt(model, inputs, runOptions);
		if (model === LLM_MODEL) return unwrap(llm(inputs as unknown as Ai_Cf_Meta_Llama_3_3_70B_Instruct_Fp8_Fast_Messages));
		if (model === AURA_1_MODEL || model === AURA_2_ES_MODEL) {
			const aura = inputs as unknown as Ai_Cf_Deepgram_Aura_1_Input | Ai_Cf_Deepgram_Aura_2_Es_Input;
			const { spoken, response } = synthesize(model, aura, auraAnswers.get(aura.text) ?? 'pcm', record.errors);
			record.tts.push(spoken);
			return runOptions.returnRawResponse ? response : unwrap(response);
		}
		throw new Error(`the fake AI binding has no model ${model}`);
	}) as Ai['run'];

	return {
		record,
		/** The speech-to-text socket closes (1011) when the next audio frame reaches it, as a dropped upstream would. */
		dropSttOnNextAudio() {
			dropOnNextAudio = true;
		},
		/** Aura answers this sentence this way (see `AuraAnswer`); every other sentence gets its PCM. */
		answerSpeech(sentence: string, kind: AuraAnswer) {
			auraAnswers.set(sentence, kind);
		},
		/** The LLM's context window, in the fake's tokens (see `tokensOf`): prompts that do not fit are refused with error 5021. */
		limitContext(tokens: number) {
			contextTokens = tokens;
		},
		/** How the note-taker's JSON-mode calls are answered from now on (see `NotesAnswer`). */
		answerNotes(kind: NotesAnswer) {
			notesAnswer = kind;
		},
		/** Speech-to-text upgrades are refused with this HTTP status (as the binding returns them: a Response with no socket). */
		refuseStt(status: number) {
			sttRefusal = status;
		},
		/** How many times speech-to-text was asked for a socket. */
		get sttAttempts() {
			return sttAttempts;
		},
		/** The binding's `run`, typed as the real one: install it with `vi.spyOn(env.AI, 'run').mockImplementation(fake.run)`. */
		run
	} satisfies Pick<Ai, 'run'> & Record<string, unknown>;
}
