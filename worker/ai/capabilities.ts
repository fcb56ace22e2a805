import { isLoopbackUrl } from '../lib/origins';

/** What each AI provider can do; links and interviewers are checked against it before they are saved. */
export const PROVIDERS = ['local', 'openai', 'workers-ai'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export type Capabilities = {
	provider: ProviderName;
	label: string;
	/** null: any voice name is accepted (the local provider speaks with the browser's voices). */
	voices: readonly string[] | null;
	defaultVoice: string;
	languages: readonly string[];
	maxDurationMinutes: number;
	speaksAudio: boolean;
};

const LANGUAGE_NAMES: Record<string, string> = {
	auto: 'Auto (the respondent’s browser)',
	en: 'English',
	ru: 'Russian',
	de: 'German',
	fr: 'French',
	es: 'Spanish',
	it: 'Italian',
	pt: 'Portuguese',
	nl: 'Dutch',
	pl: 'Polish',
	uk: 'Ukrainian',
	tr: 'Turkish',
	ja: 'Japanese',
	ko: 'Korean',
	zh: 'Chinese',
	hi: 'Hindi'
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
		// Aura-1 speakers; Flux (speech-to-text with turn detection) and Aura speak English only, so "auto" means English.
		voices: AURA_1_VOICES,
		defaultVoice: 'asteria',
		languages: ['auto', 'en'],
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

/** Why this voice, language and duration cannot be used with the provider, or null when they can. */
export function unsupportedReason(
	capabilities: Capabilities,
	input: { voice?: string | null; language?: string | null; durationMinutes?: number }
): string | null {
	if (input.voice && capabilities.voices && !capabilities.voices.includes(input.voice)) {
		return `${capabilities.label} has no voice "${input.voice}". Choose one of: ${capabilities.voices.join(', ')}.`;
	}
	if (input.language && !capabilities.languages.includes(input.language)) {
		return `${capabilities.label} cannot interview in "${languageName(input.language)}".`;
	}
	if (input.durationMinutes && input.durationMinutes > capabilities.maxDurationMinutes) {
		return `${capabilities.label} interviews last at most ${capabilities.maxDurationMinutes} minutes.`;
	}
	return null;
}
