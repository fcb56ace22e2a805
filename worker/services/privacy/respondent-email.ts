import { PLACEHOLDER } from './placeholders';

/**
 * The respondent's own address, known from `hello`, comes out of the transcript whatever the
 * project's setting: written ("anna.lee@example.com") or dictated ("anna dot lee at example dot com",
 * "анна точка ли собака example точка com"), in any case.
 */

const SEPARATOR = String.raw`(?:\s*[.@_+-]\s*|\s+(?:dot|at|underscore|dash|hyphen|plus|точка|собака|эт|подчёркивание|подчеркивание|тире|дефис|плюс)\s+)`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function addressPattern(email: string): RegExp | null {
	const parts = email
		.trim()
		.split(/[.@_+-]+/)
		.filter(Boolean);
	if (parts.length < 2) return null;
	return new RegExp(`(?<![\\p{L}\\d])${parts.map(escape).join(SEPARATOR)}(?![\\p{L}\\d])`, 'giu');
}

export function redactRespondentEmail(text: string, email: string | null): { text: string; found: boolean } {
	const pattern = email ? addressPattern(email) : null;
	if (!pattern) return { text, found: false };
	const out = text.replace(pattern, PLACEHOLDER.email);
	return { text: out, found: out !== text };
}
