import { api, call, type ResponseOf } from '$lib/api';

/** What the active AI provider can do (`GET /api/providers/current`); `voices` is null for the local provider, which speaks with the browser's own voices. */
export type ProviderCapabilities = ResponseOf<typeof api.providers.current.$get>;

export type Option = { value: string; label: string };

export const BROWSER_VOICE = 'browser';

let cached: Promise<ProviderCapabilities> | null = null;

/** The provider's capabilities, fetched once per page load. */
export function loadProvider(): Promise<ProviderCapabilities> {
	cached ??= call(api.providers.current.$get).catch((failure) => {
		cached = null;
		throw failure;
	});
	return cached;
}

/** The browser's speech voices, which arrive asynchronously in some browsers. */
export class BrowserVoices {
	names = $state<string[]>([]);

	constructor() {
		$effect(() => {
			if (typeof speechSynthesis === 'undefined') return;
			const read = () => {
				this.names = [...new Set(speechSynthesis.getVoices().map((voice) => voice.name))];
			};
			read();
			speechSynthesis.addEventListener('voiceschanged', read);
			return () => speechSynthesis.removeEventListener('voiceschanged', read);
		});
	}
}

/** The voices the provider speaks a language with (null: any of the browser's), and its default among them. */
export function languageVoices(provider: ProviderCapabilities, code: string): { voices: string[] | null; defaultVoice: string } {
	return provider.languages.find((language) => language.code === code) ?? { voices: provider.voices, defaultVoice: provider.defaultVoice };
}

/** The voice to keep when the language changes: the current one if the new language has it, else that language's default. */
export function voiceForLanguage(provider: ProviderCapabilities, code: string, voice: string): string {
	const { voices, defaultVoice } = languageVoices(provider, code);
	return !voices || voices.includes(voice) ? voice : defaultVoice;
}

/** Voice choices for a language: the provider's voices for it, or "Browser default" plus the browser's voices for the local provider. */
export function voiceOptions(provider: ProviderCapabilities, language: string, browserVoices: string[], current?: string | null): Option[] {
	const { voices } = languageVoices(provider, language);
	const options: Option[] = voices
		? voices.map((voice) => ({ value: voice, label: voice[0]!.toUpperCase() + voice.slice(1) }))
		: [{ value: BROWSER_VOICE, label: 'Browser default' }, ...browserVoices.map((voice) => ({ value: voice, label: voice }))];
	if (current && !options.some((option) => option.value === current)) options.push({ value: current, label: current });
	return options;
}

const PREFERRED = ['auto', 'en', 'ru'];

/** Language choices: Auto, English and Russian first, then whatever else the provider lists. */
export function languageOptions(provider: ProviderCapabilities): Option[] {
	const named = new Map(provider.languages.map((language) => [language.code, language.name]));
	const fallback: Record<string, string> = { auto: 'Auto', en: 'English', ru: 'Russian' };
	const first = PREFERRED.filter((code) => named.has(code) || code === 'auto').map((code) => ({
		value: code,
		label: code === 'auto' ? 'Auto' : (named.get(code) ?? fallback[code]!)
	}));
	const rest = provider.languages
		.filter((language) => !PREFERRED.includes(language.code))
		.map((language) => ({ value: language.code, label: language.name }));
	return [...first, ...rest];
}

/**
 * The languages the provider is known to half-do, for the hint under the language choice (each one's
 * full reason is in the capabilities and in the refusal if it is saved anyway); undefined when none.
 */
export function unavailableLanguagesHint(provider: ProviderCapabilities): string | undefined {
	if (provider.unavailableLanguages.length === 0) return undefined;
	const named = provider.unavailableLanguages.map((language) => language.name).join(', ');
	return `Not offered: ${named}. This AI provider cannot both hear and speak them in a live interview.`;
}

export function languageLabel(provider: ProviderCapabilities | null, code: string | null): string {
	if (!code || code === 'auto') return 'Auto';
	return provider?.languages.find((language) => language.code === code)?.name ?? code;
}

export function voiceLabel(voice: string | null): string {
	if (!voice || voice === BROWSER_VOICE) return 'Browser default';
	return voice;
}

/**
 * What the offline interviewer cannot honour, said next to the setting: it asks the guide as written
 * (or as translated) and follows no free-text instructions. Nothing to say for the AI providers.
 */
export function localModeIgnores(provider: ProviderCapabilities, what: string): string | null {
	return provider.provider === 'local'
		? `Local mode: the offline interviewer asks the guide as written and does not follow ${what}; OpenAI and Workers AI do.`
		: null;
}
