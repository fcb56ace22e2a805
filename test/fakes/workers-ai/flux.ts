/**
 * Deepgram Flux as the AI binding opens it (`{ websocket: true }`): a 101 Response with a socket that
 * takes linear16 bytes and answers with turn events. Workers AI's schema for them
 * (`Ai_Cf_Deepgram_Flux_Output`) has an `event` and no `type`, so that is the default shape;
 * `deepgram` is Deepgram's own API, which adds `type: 'TurnInfo'` and a `Connected` greeting.
 */
import { isLoud, msOf, onBinary } from './audio';

export type FluxShape = 'workers-ai' | 'deepgram';

export type FluxSocket = { inputs: Ai_Cf_Deepgram_Flux_Input; audio: ArrayBuffer[]; server: WebSocket };

export type FluxOptions = {
	shape: FluxShape;
	/** The next transcript the fake "hears" when a turn ends. */
	transcript: () => string;
	/** Whether the socket should close (1011) when the next audio frame reaches it. */
	dropNow: () => boolean;
};

export function openFlux(
	inputs: Ai_Cf_Deepgram_Flux_Input,
	options: FluxOptions,
	errors: string[]
): { socket: FluxSocket; response: Response } {
	if (inputs.encoding !== 'linear16' || inputs.sample_rate !== '24000') errors.push(`flux inputs ${JSON.stringify(inputs)}`);
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
				if (turn.quietMs >= 300) {
					const transcript = options.transcript();
					send({
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
		},
		drop
	);
	if (options.shape === 'deepgram') server.send(JSON.stringify({ type: 'Connected', request_id: 'req-fake', sequence_id: sequence++ }));
	return { socket, response: new Response(null, { status: 101, webSocket: client }) };
}
