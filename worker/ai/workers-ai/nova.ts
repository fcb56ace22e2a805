import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import type { TurnTaking } from '../patience';
import { parseMessage, secondsOf, textOf, type Heard, type Listener } from './hearing';
import { NOVA_MODEL, type NovaStreamInput } from './models';

/**
 * Deepgram Nova-3's streaming messages (Deepgram's live protocol; the published Nova-3 output type
 * is the batch result, so the fields read here are named by hand): `SpeechStarted` (with
 * `vad_events`), `Results` (a finalized stretch when `is_final`, the end of speech when
 * `speech_final`) and `UtteranceEnd` (no word for `utterance_end_ms`). Times are in seconds.
 */
type NovaMessage = {
	type?: string;
	timestamp?: number;
	start?: number;
	duration?: number;
	is_final?: boolean;
	speech_final?: boolean;
	channel?: { alternatives?: Array<{ transcript?: string }> };
};

/**
 * Nova-3's input: linear16 at the interview's rate in the interview's language, with punctuation,
 * speech-start events, and the interviewer's patience as the silence that ends a turn (endpointing)
 * and the wordless stretch that ends it when noise keeps the silence from coming (utterance end,
 * which needs interim results).
 */
export function novaInputs(language: string, turnTaking: TurnTaking): NovaStreamInput {
	return {
		encoding: 'linear16',
		sample_rate: String(SAMPLE_RATE),
		language,
		punctuate: true,
		smart_format: true,
		interim_results: true,
		vad_events: true,
		endpointing: String(turnTaking.novaEndpointingMs),
		utterance_end_ms: String(turnTaking.novaUtteranceEndMs)
	};
}

/**
 * Nova-3 listens to one language and has no turn detection of its own: a turn is the finalized
 * stretches of speech up to the end of speech (or an utterance end), joined.
 */
export function novaListener(language: string, turnTaking: TurnTaking): Listener {
	let stretches: string[] = [];
	let startSeconds: number | undefined;
	let endSeconds: number | undefined;

	const reset = () => {
		stretches = [];
		startSeconds = undefined;
		endSeconds = undefined;
	};

	function turnEnded(): Heard | null {
		if (stretches.length === 0) return null;
		const heard: Heard = { kind: 'turn-ended', transcript: stretches.join(' '), startSeconds, endSeconds };
		reset();
		return heard;
	}

	function hear(text: string): Heard | null {
		const message = parseMessage(text) as NovaMessage | null;
		switch (message?.type) {
			case 'SpeechStarted':
				return { kind: 'speech-started', atSeconds: secondsOf(message.timestamp) };
			case 'Results': {
				const transcript = textOf(message.channel?.alternatives?.[0]?.transcript).trim();
				const start = secondsOf(message.start);
				if (message.is_final === true && transcript) {
					startSeconds ??= start;
					if (start !== undefined) endSeconds = start + (secondsOf(message.duration) ?? 0);
					stretches.push(transcript);
				}
				return message.speech_final === true ? turnEnded() : null;
			}
			case 'UtteranceEnd':
				return turnEnded();
			default:
				return null;
		}
	}

	return { model: NOVA_MODEL, open: (ai) => ai.run(NOVA_MODEL, novaInputs(language, turnTaking), { websocket: true }), hear, reset };
}
