import type { BrowserFamily } from './i18n';

/** Which browser's settings to describe when the microphone is blocked. A guess from the user agent. */
export function browserFamily(userAgent: string): BrowserFamily {
	const isIos = /iPhone|iPad|iPod/.test(userAgent);
	if (isIos) return 'safari-ios';
	if (/Firefox\//.test(userAgent)) return 'firefox';
	if (/Chrome\/|Chromium\/|Edg\//.test(userAgent)) return /Android/.test(userAgent) ? 'chromium-android' : 'chromium';
	if (/Safari\//.test(userAgent)) return 'safari';
	return 'other';
}
