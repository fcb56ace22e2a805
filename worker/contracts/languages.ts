/** The languages Parley names: interview languages (what each provider can do is in its capabilities) and guide translations. */
export const LANGUAGE_NAMES: Record<string, string> = {
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

export type TranslationLanguage = 'en' | 'ru' | 'de' | 'fr' | 'es' | 'it' | 'pt' | 'nl' | 'pl' | 'uk' | 'tr' | 'ja' | 'ko' | 'zh' | 'hi';
/** The languages a guide question can be translated into: every named language but Auto. */
export const TRANSLATION_LANGUAGES = Object.keys(LANGUAGE_NAMES).filter((code) => code !== 'auto') as TranslationLanguage[];
