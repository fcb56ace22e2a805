/**
 * The respondent page's languages. The strings of each live in their own module (messages-en.ts,
 * messages-ru.ts) and a page fetches only the one it speaks; the link's language picks it.
 */

export type Locale = 'en' | 'ru';
export type BrowserFamily = 'chromium' | 'chromium-android' | 'firefox' | 'safari' | 'safari-ios' | 'other';
export type RefusalKey =
	| 'unknown'
	| 'expired'
	| 'cancelled'
	| 'disabled'
	| 'offline'
	| 'used_up'
	| 'completed'
	| 'inUse'
	| 'insufficientTokens'
	| 'badRequest'
	| 'tooManyFrames'
	| 'rejoinLocked'
	| 'screenedOut'
	| 'quotaFull'
	| 'closed';
export type EndReason = 'left' | 'deadline' | 'completed' | 'abandoned';
export type ConnectionLabel = 'connecting' | 'connected' | 'reconnecting' | 'offline';

import type { Messages } from './messages-en';

export type { Messages };

const LOADERS: Record<Locale, () => Promise<Messages>> = {
	en: () => import('./messages-en').then((module) => module.en),
	ru: () => import('./messages-ru').then((module) => module.ru)
};

/** The strings of one language, from their own chunk. */
export function loadMessages(locale: Locale): Promise<Messages> {
	return LOADERS[locale]();
}

/** What the page says when it cannot even fetch its strings (the network went away after the page loaded). */
export const UNREACHABLE: Record<Locale, { loadFailed: string; retry: string }> = {
	en: { loadFailed: 'We couldn’t load this interview. Check your connection and try again.', retry: 'Try again' },
	ru: { loadFailed: 'Не удалось загрузить интервью. Проверьте подключение и попробуйте ещё раз.', retry: 'Попробовать ещё раз' }
};

/** The browser's languages, most preferred first. */
export const browserLanguages = (): readonly string[] => (navigator.languages?.length ? navigator.languages : [navigator.language]);

/** `auto` (or no language) follows the browser; anything Russian gets Russian, the rest English. */
export function localeFor(linkLanguage: string | null | undefined, browserLanguages: readonly string[]): Locale {
	const language = !linkLanguage || linkLanguage === 'auto' ? (browserLanguages[0] ?? 'en') : linkLanguage;
	return language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The BCP 47 tag speech synthesis should use: the link's language, or the browser's for `auto`. */
export function speechLanguageFor(linkLanguage: string | null | undefined, browserLanguages: readonly string[]): string {
	return !linkLanguage || linkLanguage === 'auto' ? (browserLanguages[0] ?? 'en') : linkLanguage;
}
