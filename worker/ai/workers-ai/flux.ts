import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import type { TurnTaking } from '../patience';
import { parseMessage, secondsOf, textOf, type Heard, type Listener } from './hearing';
import { FLUX_MODEL } from './models';

/**
 * Deepgram Flux's turn events. Workers AI relays them in the shape of its schema
 * (`Ai_Cf_Deepgram_Flux_Output`): an `event` and no `type`, which is also what Cloudflare's own voice
 * client keys on. Deepgram's own API adds `type: 'TurnInfo'`; keying on `event` reads both.
 */
type FluxMessage = Ai_Cf_Deepgram_Flux_Output & { type?: string };

/**
 * Flux's input: linear16 at the interview's rate, and the interviewer's patience as Flux's turn
 * detection takes it (the confidence that ends a turn, and the silence that ends it regardless).
 * The binding passes every value on as a string.
 */
export function fluxInputs(turnTaking: TurnTaking): Ai_Cf_Deepgram_Flux_Input {
	return {
		encoding: 'linear16',
		sample_rate: String(SAMPLE_RATE),
		eot_threshold: String(turnTaking.fluxEotThreshold),
		eot_timeout_ms: String(turnTaking.fluxEotTimeoutMs)
	};
}

/** What one Flux message says about the respondent's turn; updates and anything unknown say nothing. */
export function hearFlux(text: string): Heard | null {
	const message = parseMessage(text) as FluxMessage | null;
	switch (message?.event) {
		case 'StartOfTurn':
			return { kind: 'speech-started', atSeconds: secondsOf(message.audio_window_start) };
		case 'EndOfTurn':
			return {
				kind: 'turn-ended',
				transcript: textOf(message.transcript),
				startSeconds: secondsOf(message.audio_window_start),
				endSeconds: secondsOf(message.audio_window_end)
			};
		default:
			return null;
	}
}

/** Flux listens to English and detects the end of each turn itself; it keeps no state between messages. */
export function fluxListener(turnTaking: TurnTaking): Listener {
	return {
		model: FLUX_MODEL,
		open: (ai) => ai.run(FLUX_MODEL, fluxInputs(turnTaking), { websocket: true }),
		hear: hearFlux,
		reset: () => undefined
	};
}
