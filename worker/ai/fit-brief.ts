import { capabilitiesOf, voicesFor, type ProviderName } from './capabilities';
import type { InterviewBrief } from './provider';

export type FittedBrief = { brief: InterviewBrief; substitutions: string[] };

/**
 * The brief with its voice and language mapped onto what the provider can do: a voice or language
 * saved under another provider (the local default `browser` sent to OpenAI, an OpenAI voice sent to
 * Aura, an English voice on a Spanish interview) would fail on every request, so the language
 * becomes "auto" and the voice that language's default, and the change is said.
 */
export function fitBrief(provider: ProviderName, brief: InterviewBrief): FittedBrief {
	const capabilities = capabilitiesOf(provider);
	const substitutions: string[] = [];
	let { voice, language } = brief;
	if (!capabilities.languages.includes(language)) {
		substitutions.push(`language "${language}" → "auto"`);
		language = 'auto';
	}
	const { voices, defaultVoice } = voicesFor(capabilities, language);
	if (voices) {
		const match = voices.find((candidate) => candidate === voice.trim().toLowerCase());
		if (match !== voice) {
			substitutions.push(`voice "${voice}" → "${match ?? defaultVoice}"`);
			voice = match ?? defaultVoice;
		}
	}
	return { brief: substitutions.length > 0 ? { ...brief, voice, language } : brief, substitutions };
}
