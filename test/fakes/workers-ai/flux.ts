/**
 * Deepgram Flux as the AI binding opens it (`{ websocket: true }`): a 101 Response with a socket that
 * takes linear16 bytes and answers with turn events. Workers AI's schema for them
 * (`Ai_Cf_Deepgram_Flux_Output`) has an `event` and no `type`, so that is the default shape;
 * `deepgram` is Deepgram's own API, which adds `type: 'TurnInfo'` and a `Connected` greeting.
 */
import { isLoud, msOf, onBinary } from './audio';

export type FluxShape = 'workers-ai' | 'deepgram';

type FluxSocket = { inputs: Ai_Cf_Deepgram_Flux_Input; audio: ArrayBuffer[]; server: WebSocket };

export type FluxOptions = {
	shape: FluxShape;
	/** The next transcript the fake "hears" when a turn ends. */
	transcript: () => string;
	/** Whether the socket should close (1011) when the next audio frame reaches it. */
	dropNow: () => boolean;
};

/** A number within Flux's documented range, given as the string the binding passes on (absent: the default). */
function setting(value: string | undefined, min: number, max: number, fallback: number): number | null {
	if (value === undefined) return fallback;
	const number = Number(value);
	return value.trim() !== '' && Number.isFinite(number) && number >= min && number <= max ? number : null;
}

/** A refused upgrade, as the binding returns it: the HTTP answer itself, with no socket. */
const refusal = (message: string) =>
	new Response(JSON.stringify({ errors: [{ code: 5006, message }], success: false }), {
		status: 400,
		headers: { 'content-type': 'application/json' }
	});

/**
 * Flux ends a turn once its end-of-turn confidence reaches `eot_threshold` (0.5–0.9, default 0.7),
 * or `eot_timeout_ms` (default 5000) after speech whatever the confidence. The fake's confidence
 * grows with the silence since the last speech: 0.5, plus 0.1 per 100 ms.
 */
export function openFlux(
	inputs: Ai_Cf_Deepgram_Flux_Input,
	options: FluxOptions,
	errors: string[]
): { socket: FluxSocket | null; response: Response } {
	if (inputs.encoding !== 'linear16' || inputs.sample_rate !== '24000') errors.push(`flux inputs ${JSON.stringify(inputs)}`);
	const threshold = setting(inputs.eot_threshold, 0.5, 0.9, 0.7);
	const timeoutMs = setting(inputs.eot_timeout_ms, 500, 10_000, 5_000);
	if (threshold === null || timeoutMs === null)
		return { socket: null, response: refusal(`Invalid end-of-turn setting: ${JSON.stringify(inputs)}`) };
	const { 0: client, 1: server } = new WebSocketPair();
	server.accept();
	const socket: FluxSocket = { inputs, audio: [], server };
	let sentMs = 0;
	let sequence = 0;
	let turn: { startMs: number; quietMs: number } | null = null;
	let turnIndex = 0;
	const send = (message: Record<string, unknown>) => {
		const typed = options.shape === 'deepgram' && message.event ? { type: 'TurnInfo', ...message } : message;
		server.send(JSON.stringify({ request_id: 'req-fake', sequence_id: sequence++, ...typed }));
	};
	const drop = () => {
		if (!options.dropNow()) return false;
		server.close(1011, 'upstream went away');
		return true;
	};
	onBinary(
		server,
		(pcm) => {
			socket.audio.push(pcm);
			const ms = msOf(pcm.byteLength);
			const loud = isLoud(pcm);
			if (loud && !turn) {
				turn = { startMs: sentMs, quietMs: 0 };
				send({
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
				const confidence = Math.min(0.99, 0.5 + turn.quietMs / 1000);
				if (confidence >= threshold || turn.quietMs >= timeoutMs) {
					const transcript = options.transcript();
					send({
						event: 'EndOfTurn',
						turn_index: turnIndex++,
						audio_window_start: turn.startMs / 1000,
						audio_window_end: (sentMs + ms) / 1000,
						transcript,
						words: transcript.split(' ').map((word) => ({ word, confidence: 0.9 })),
						end_of_turn_confidence: confidence
					});
					turn = null;
				}
			}
			sentMs += ms;
		},
		drop
	);
	if (options.shape === 'deepgram') server.send(JSON.stringify({ type: 'Connected', request_id: 'req-fake', sequence_id: sequence++ }));
	return { socket, response: new Response(null, { status: 101, webSocket: client }) };
}
