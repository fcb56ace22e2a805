/**
 * A fake Workers AI binding with the real models' shapes and the binding's own typed `run`:
 * Deepgram Flux over a WebSocket (`workers-ai/flux.ts`), a Llama text-generation stream
 * (`workers-ai/llm.ts`) and Aura speech as linear16 bytes (`workers-ai/aura.ts`: the raw Response
 * with `returnRawResponse`, else its body, as the binding hands it over). It records what it
 * received so tests can compare bytes.
 */
import { LLM_MODEL, STT_MODEL, TTS_MODEL } from '../../worker/ai/workers-ai';
import { synthesize, type AuraAnswer, type Spoken } from './workers-ai/aura';
import { openFlux, type FluxShape, type FluxSocket } from './workers-ai/flux';
import { answer, CONTEXT_TOKENS, type Message, type StreamEnd } from './workers-ai/llm';

export { speech } from './workers-ai/audio';
export { AI_REPLIES, tokensOf } from './workers-ai/llm';
export const AI_TRANSCRIPTS = ['I run the support team at a small bakery.', 'Mostly a spreadsheet and email.'];

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

export function createFakeAi(options: { fluxShape?: FluxShape; llmStreamEnd?: StreamEnd } = {}) {
	const record = {
		sttSockets: [] as FluxSocket[],
		llm: [] as Message[][],
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

	function stt(inputs: Ai_Cf_Deepgram_Flux_Input, options: AiOptions, shape: FluxShape): Response {
		if (options.websocket !== true) record.errors.push('flux needs { websocket: true }');
		sttAttempts += 1;
		if (sttRefusal !== null)
			return new Response(JSON.stringify({ errors: [{ code: 10000, message: 'Authentication error' }], success: false }), {
				status: sttRefusal,
				headers: { 'content-type': 'application/json' }
			});
		const { socket, response } = openFlux(
			inputs,
			{
				shape,
				transcript: () => AI_TRANSCRIPTS[transcriptIndex++ % AI_TRANSCRIPTS.length]!,
				dropNow: () => {
					const drop = dropOnNextAudio;
					dropOnNextAudio = false;
					return drop;
				}
			},
			record.errors
		);
		if (socket) record.sttSockets.push(socket);
		return response;
	}

	function llm(inputs: Ai_Cf_Meta_Llama_3_3_70B_Instruct_Fp8_Fast_Messages & { stream?: boolean }): Response {
		const messages = inputs.messages as Message[];
		if (!Array.isArray(messages) || messages[0]?.role !== 'system' || inputs.stream !== true)
			record.errors.push('llm needs messages with a system prompt and stream: true');
		const response = answer(messages, inputs.max_tokens ?? 256, options.llmStreamEnd ?? 'done', contextTokens);
		(response.ok ? record.llm : record.llmRefused).push(messages);
		return response;
	}

	// The real `run` is overloaded per model; one implementation serves them all and dispatches on the name.
	const run = (async (model: string, inputs: object, runOptions: AiOptions = {}) => {
		if (model === STT_MODEL) return stt(inputs as Ai_Cf_Deepgram_Flux_Input, runOptions, options.fluxShape ?? 'workers-ai');
		if (model === LLM_MODEL) return unwrap(llm(inputs as Ai_Cf_Meta_Llama_3_3_70B_Instruct_Fp8_Fast_Messages));
		if (model === TTS_MODEL) {
			const aura = inputs as Ai_Cf_Deepgram_Aura_1_Input;
			const { spoken, response } = synthesize(aura, auraAnswers.get(aura.text) ?? 'pcm', record.errors);
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
