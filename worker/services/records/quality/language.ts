/**
 * A cheap language guess for the respondent's words, for the supported interview languages (en,
 * ru, es): Cyrillic letters mean Russian; among Latin text, English and Spanish are told apart by
 * their most common words. No model runs: it is meant to catch a respondent answering in another
 * language than the interviewer's, not to identify languages in general.
 */

export const DETECTABLE_LANGUAGES = ['en', 'ru', 'es'] as const;
export type DetectableLanguage = (typeof DETECTABLE_LANGUAGES)[number];

/** Fewer words than this say too little to guess from. */
export const MIN_WORDS_FOR_LANGUAGE = 8;
/** The share of letters in a script that makes it the text's script. */
const SCRIPT_SHARE = 0.6;
/** Latin text needs this many stop words of one language, and more than of the other, to be guessed. */
const MIN_STOP_WORDS = 2;

const ENGLISH = new Set(
	"the and is are was were i you it that this to of in for with my not have has do does don't what but so be at on they we it's".split(' ')
);
const SPANISH = new Set('el la los las y es son que de en por para con mi no un una lo pero muy yo se del al como más está'.split(' '));

const isDetectable = (code: string | null | undefined): code is DetectableLanguage =>
	!!code && (DETECTABLE_LANGUAGES as readonly string[]).includes(code);

/** The language of `text`, or null when it is too short or unclear. */
export function detectLanguage(text: string): DetectableLanguage | null {
	const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
	if (words.length < MIN_WORDS_FOR_LANGUAGE) return null;
	const letters = text.match(/\p{L}/gu) ?? [];
	const cyrillic = letters.filter((letter) => /\p{Script=Cyrillic}/u.test(letter)).length;
	const latin = letters.filter((letter) => /\p{Script=Latin}/u.test(letter)).length;
	if (cyrillic >= letters.length * SCRIPT_SHARE) return 'ru';
	if (latin < letters.length * SCRIPT_SHARE) return null;
	const english = words.filter((word) => ENGLISH.has(word)).length;
	const spanish = words.filter((word) => SPANISH.has(word)).length;
	if (english >= MIN_STOP_WORDS && english > spanish) return 'en';
	if (spanish >= MIN_STOP_WORDS && spanish > english) return 'es';
	return null;
}

/** The interview's language when the detector can judge it; null for Auto without a page language, or other languages. */
export const comparableLanguage = (language: string | null | undefined): DetectableLanguage | null =>
	isDetectable(language) ? language : null;
