import type { TurnTaking } from '../patience';
import { fluxListener } from './flux';
import type { Listener } from './hearing';
import { AURA_1_MODEL, AURA_2_ES_MODEL } from './models';
import { novaListener } from './nova';

/** A text-to-speech model of the cascade. */
export type SpeakingModel = typeof AURA_1_MODEL | typeof AURA_2_ES_MODEL;

type Speech = { listener: (turnTaking: TurnTaking) => Listener; speaking: SpeakingModel };

/**
 * Which models hear and speak each language the cascade offers (the capability table lists the same
 * languages, with Aura-2's Spanish speakers for Spanish). English: Flux, which also detects turns,
 * and Aura-1. Spanish: Nova-3 with `language: es`, and Aura-2's Spanish model.
 */
const SPEECH: Record<string, Speech> = {
	en: { listener: fluxListener, speaking: AURA_1_MODEL },
	es: { listener: (turnTaking) => novaListener('es', turnTaking), speaking: AURA_2_ES_MODEL }
};

/**
 * The models for an interview's language. "auto" is English: no model here follows the respondent
 * into another language, and fitBrief has already turned any language the cascade lacks into "auto".
 */
export const speechFor = (language: string): Speech => SPEECH[language] ?? SPEECH.en!;
