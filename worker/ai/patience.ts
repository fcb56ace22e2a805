import type { Patience } from '../contracts/links';
import type { InterviewBrief } from './provider';

/**
 * The interviewer's patience, as each provider's turn detection understands it. A pause to think is
 * not the end of an answer: Patient, the default, waits longest. OpenAI uses semantic VAD (it hears
 * whether a sentence is finished) with the server VAD's silence as the fallback; Deepgram Flux ends a
 * turn at a confidence threshold or after a timeout; Deepgram Nova-3 (Workers AI's languages other
 * than English) ends one after a silence (endpointing), or once no word has come for a while
 * (utterance end, which noise cannot hold off); the local interviewer counts silence.
 */
export type TurnTaking = {
	openAiEagerness: 'low' | 'medium' | 'high';
	serverVadSilenceMs: number;
	fluxEotThreshold: number;
	fluxEotTimeoutMs: number;
	novaEndpointingMs: number;
	novaUtteranceEndMs: number;
	localSilenceMs: number;
};

const TURN_TAKING: Record<Patience, TurnTaking> = {
	patient: {
		openAiEagerness: 'low',
		serverVadSilenceMs: 1_200,
		fluxEotThreshold: 0.85,
		fluxEotTimeoutMs: 7_000,
		novaEndpointingMs: 1_500,
		novaUtteranceEndMs: 2_500,
		localSilenceMs: 900
	},
	normal: {
		openAiEagerness: 'medium',
		serverVadSilenceMs: 800,
		fluxEotThreshold: 0.75,
		fluxEotTimeoutMs: 5_000,
		novaEndpointingMs: 1_000,
		novaUtteranceEndMs: 1_800,
		localSilenceMs: 700
	},
	quick: {
		openAiEagerness: 'high',
		serverVadSilenceMs: 500,
		fluxEotThreshold: 0.6,
		fluxEotTimeoutMs: 3_000,
		novaEndpointingMs: 600,
		novaUtteranceEndMs: 1_200,
		localSilenceMs: 500
	}
};

/** Interviews started before the setting existed have none in their brief: they get the default. */
export const turnTakingOf = (brief: Pick<InterviewBrief, 'patience'>): TurnTaking => TURN_TAKING[brief.patience ?? 'patient'];
