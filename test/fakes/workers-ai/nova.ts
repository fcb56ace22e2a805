/**
 * Deepgram Nova-3 as the AI binding streams it (`{ websocket: true }`): a 101 Response with a socket
 * that takes linear16 bytes and answers in Deepgram's live protocol. With `vad_events` it says
 * `SpeechStarted`; once the silence after speech reaches `endpointing` it sends the finalized
 * stretch as `Results` with `speech_final`; with `utterance_end_ms` it says `UtteranceEnd` once no
 * word has come for that long. In a `noisy` room the silence never counts as the end of speech, so
 * stretches are finalized without `speech_final` and only the utterance end closes the turn.
 */
import { isLoud, msOf, onBinary } from './audio';

/** Languages Nova-3 streams in (Deepgram's list, abridged to those a test may ask for). */
const LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'ru', 'uk', 'pl', 'tr', 'hi', 'ja', 'ko', 'zh'];

/** Nova-3's streaming input as the cascade sends it (its published type is the batch call's). */
export type NovaInputs = Record<string, unknown>;

export type NovaSocket = { inputs: NovaInputs; audio: ArrayBuffer[]; server: WebSocket };

export type NovaOptions = {
	noisy: boolean;
	/** The next transcript the fake "hears" when a stretch of speech is finalized. */
	transcript: () => string;
};

/** A whole number of milliseconds, as the string the binding passes on; undefined when absent. */
function milliseconds(value: unknown): number | null | undefined {
	if (value === undefined) return undefined;
	return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
}

const refusal = (message: string) =>
	new Response(JSON.stringify({ errors: [{ code: 5006, message }], success: false }), {
		status: 400,
		headers: { 'content-type': 'application/json' }
	});

export function openNova(inputs: NovaInputs, options: NovaOptions, errors: string[]): { socket: NovaSocket | null; response: Response } {
	if (inputs.encoding !== 'linear16' || inputs.sample_rate !== '24000') errors.push(`nova inputs ${JSON.stringify(inputs)}`);
	const endpointingMs = milliseconds(inputs.endpointing) ?? 10;
	const utteranceEndMs = milliseconds(inputs.utterance_end_ms);
	if (typeof inputs.language !== 'string' || !LANGUAGES.includes(inputs.language))
		return { socket: null, response: refusal(`Nova-3 does not stream in ${String(inputs.language)}`) };
	if (endpointingMs === null || utteranceEndMs === null || (utteranceEndMs !== undefined && utteranceEndMs < 1_000))
		return { socket: null, response: refusal(`Invalid endpointing: ${JSON.stringify(inputs)}`) };
	if (utteranceEndMs !== undefined && inputs.interim_results !== true)
		return { socket: null, response: refusal('utterance_end_ms needs interim_results') };

	const { 0: client, 1: server } = new WebSocketPair();
	server.accept();
	const socket: NovaSocket = { inputs, audio: [], server };
	const send = (message: Record<string, unknown>) => server.send(JSON.stringify(message));
	const results = (transcript: string, startMs: number, endMs: number, final: boolean, speechFinal: boolean) =>
		send({
			type: 'Results',
			channel_index: [0, 1],
			start: startMs / 1000,
			duration: (endMs - startMs) / 1000,
			is_final: final,
			speech_final: speechFinal,
			channel: { alternatives: [{ transcript, confidence: 0.93, words: [] }] },
			metadata: { request_id: 'req-fake', model_info: { name: 'nova-3' } }
		});
	let sentMs = 0;
	let speech: { startMs: number; quietMs: number; loudMs: number } | null = null;
	/** Where the last finalized word ended, while the utterance end is still to come. */
	let lastWordEndMs: number | null = null;
	onBinary(server, (pcm) => {
		socket.audio.push(pcm);
		const ms = msOf(pcm.byteLength);
		const loud = isLoud(pcm);
		if (loud && !speech) {
			speech = { startMs: sentMs, quietMs: 0, loudMs: 0 };
			lastWordEndMs = null;
			if (inputs.vad_events === true) send({ type: 'SpeechStarted', channel: [0, 1], timestamp: sentMs / 1000 });
		}
		if (speech) {
			speech.quietMs = loud ? 0 : speech.quietMs + ms;
			speech.loudMs += loud ? ms : 0;
			if (loud && inputs.interim_results === true && speech.loudMs % 200 === 0) results('…', speech.startMs, sentMs + ms, false, false);
			if (speech.quietMs >= endpointingMs) {
				const endMs = sentMs + ms - speech.quietMs;
				results(options.transcript(), speech.startMs, endMs, true, !options.noisy);
				lastWordEndMs = endMs;
				speech = null;
			}
		} else if (lastWordEndMs !== null && utteranceEndMs !== undefined && sentMs + ms - lastWordEndMs >= utteranceEndMs) {
			send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: lastWordEndMs / 1000 });
			lastWordEndMs = null;
		}
		sentMs += ms;
	});
	return { socket, response: new Response(null, { status: 101, webSocket: client }) };
}
