import { isLoopbackUrl } from '../lib/origins';
import { LANGUAGE_NAMES } from '../contracts/languages';

/** What each AI provider can do; links and interviewers are checked against it before they are saved. */
export const PROVIDERS = ['local', 'openai', 'workers-ai'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** The voices a provider speaks a language with; null voices: any name is accepted (the browser's voices). */
export type LanguageVoices = { voices: readonly string[] | null; defaultVoice: string };

export type Capabilities = {
	provider: ProviderName;
	label: string;
	/** The voices of the provider's default language (and of "auto"); null: any voice name is accepted (the local provider speaks with the browser's voices). */
	voices: readonly string[] | null;
	defaultVoice: string;
	/** The languages it can interview in: it can both hear and speak each of them. */
	languages: readonly string[];
	/** Languages spoken by other voices than the default language's. */
	languageVoices?: Readonly<Record<string, LanguageVoices>>;
	/** Languages it can only half do (hear but not speak, or speak in a form the interview cannot play), and why they are not offered. */
	unavailableLanguages?: Readonly<Record<string, string>>;
	maxDurationMinutes: number;
	speaksAudio: boolean;
};

export const languageName = (code: string) => LANGUAGE_NAMES[code] ?? code;

/** Aura-1's speakers, as its published input type lists them (a speaker it lacks fails the type check). */
export const AURA_1_VOICES = [
	'asteria',
	'luna',
	'stella',
	'athena',
	'hera',
	'orion',
	'arcas',
	'perseus',
	'angus',
	'orpheus',
	'helios',
	'zeus'
] as const satisfies readonly NonNullable<Ai_Cf_Deepgram_Aura_1_Input['speaker']>[];

/** Aura-2's Spanish speakers, as its published input type lists them. */
export const AURA_2_ES_VOICES = [
	'celeste',
	'carina',
	'diana',
	'estrella',
	'selena',
	'aquila',
	'alvaro',
	'javier',
	'nestor',
	'sirio'
] as const satisfies readonly NonNullable<Ai_Cf_Deepgram_Aura_2_Es_Input['speaker']>[];

/** Nova-3 hears it, but no Workers AI model speaks it. */
const unspoken = (language: string) =>
	`Workers AI can hear ${language} (Deepgram Nova-3) but cannot speak it: none of its voices speaks ${language}.`;
/** Nova-3 hears it and MeloTTS speaks it, but only as MP3, which the interview's live audio (raw PCM) cannot carry. */
const mp3Only = (language: string) =>
	`Workers AI can hear ${language} (Deepgram Nova-3), but its only ${language} voice (MeloTTS) answers in MP3, which live interview audio (raw PCM) cannot carry.`;

const CAPABILITIES: Record<ProviderName, Capabilities> = {
	local: {
		provider: 'local',
		label: 'Local interviewer (offline; the browser speaks)',
		voices: null,
		defaultVoice: 'browser',
		languages: Object.keys(LANGUAGE_NAMES),
		maxDurationMinutes: 60,
		speaksAudio: false
	},
	openai: {
		provider: 'openai',
		label: 'OpenAI Realtime',
		voices: ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'],
		defaultVoice: 'marin',
		languages: Object.keys(LANGUAGE_NAMES),
		maxDurationMinutes: 55,
		speaksAudio: true
	},
	'workers-ai': {
		provider: 'workers-ai',
		label: 'Workers AI (Deepgram speech, Llama)',
		// English: Flux hears it (with turn detection) and Aura-1 speaks it; "auto" is English too, as no
		// model here follows the respondent into another language. Spanish: Nova-3 hears it, Aura-2 speaks it.
		voices: AURA_1_VOICES,
		defaultVoice: 'asteria',
		languages: ['auto', 'en', 'es'],
		languageVoices: { es: { voices: AURA_2_ES_VOICES, defaultVoice: 'celeste' } },
		unavailableLanguages: {
			ru: unspoken('Russian'),
			de: unspoken('German'),
			it: unspoken('Italian'),
			pt: unspoken('Portuguese'),
			nl: unspoken('Dutch'),
			pl: unspoken('Polish'),
			uk: unspoken('Ukrainian'),
			tr: unspoken('Turkish'),
			hi: unspoken('Hindi'),
			fr: mp3Only('French'),
			ja: mp3Only('Japanese'),
			ko: mp3Only('Korean'),
			zh: mp3Only('Chinese')
		},
		maxDurationMinutes: 60,
		speaksAudio: true
	}
};

type ProviderEnv = Pick<Env, 'AI_PROVIDER' | 'OPENAI_API_KEY' | 'PUBLIC_BASE_URL'>;

/**
 * Providers this deployment can run: local always; OpenAI once its key is set; Workers AI when the
 * AI binding can be reached (deployed, or chosen explicitly with AI_PROVIDER).
 */
export function availableProviders(env: ProviderEnv): ProviderName[] {
	const available: ProviderName[] = ['local'];
	if (env.OPENAI_API_KEY) available.push('openai');
	if (env.AI_PROVIDER === 'workers-ai' || !isLoopbackUrl(env.PUBLIC_BASE_URL)) available.push('workers-ai');
	return available;
}

/** The provider in use: the workspace's preference when it is available here, else AI_PROVIDER, else local. */
export function providerName(env: ProviderEnv, preference?: ProviderName | null): ProviderName {
	const available = availableProviders(env);
	if (preference && available.includes(preference)) return preference;
	const wanted = (PROVIDERS as readonly string[]).includes(env.AI_PROVIDER) ? (env.AI_PROVIDER as ProviderName) : 'local';
	return available.includes(wanted) ? wanted : 'local';
}

export function capabilitiesOf(provider: ProviderName): Capabilities {
	return CAPABILITIES[provider];
}

/** The voices the provider speaks a language with (the default language's for any it lists no others for). */
export function voicesFor(capabilities: Capabilities, language: string): LanguageVoices {
	return capabilities.languageVoices?.[language] ?? { voices: capabilities.voices, defaultVoice: capabilities.defaultVoice };
}

/** Why the provider cannot interview in this language, or null when it can. */
function languageRefusal(capabilities: Capabilities, language: string): string | null {
	if (capabilities.languages.includes(language)) return null;
	const why = capabilities.unavailableLanguages?.[language];
	return `${capabilities.label} cannot interview in "${languageName(language)}".${why ? ` ${why}` : ''}`;
}

/** Why this voice, language and duration cannot be used with the provider, or null when they can. */
export function unsupportedReason(
	capabilities: Capabilities,
	input: { voice?: string | null; language?: string | null; durationMinutes?: number }
): string | null {
	const language = input.language || 'auto';
	const refusal = languageRefusal(capabilities, language);
	if (refusal) return refusal;
	const { voices } = voicesFor(capabilities, language);
	if (input.voice && voices && !voices.includes(input.voice)) {
		const where = capabilities.languageVoices ? ` for ${languageName(language)}` : '';
		return `${capabilities.label} has no voice "${input.voice}"${where}. Choose one of: ${voices.join(', ')}.`;
	}
	if (input.durationMinutes && input.durationMinutes > capabilities.maxDurationMinutes) {
		return `${capabilities.label} interviews last at most ${capabilities.maxDurationMinutes} minutes.`;
	}
	return null;
}
