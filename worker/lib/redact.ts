/**
 * Scrubs secrets from text that came from elsewhere (an upstream's error message, say) before it
 * is logged. Known secrets are removed whatever their case and with or without their prefix;
 * anything shaped like a key or a bearer token is removed even when nobody told us about it.
 */

const KEY_LIKE: RegExp[] = [
	/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
	/\b(?:sk|rk|pk)-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_*-]{6,}/gi,
	/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{6,}/gi,
	/\bwhsec_[A-Za-z0-9]{6,}/gi,
	/\bpk_[A-Za-z0-9_-]{16,}/g
];
const MASK = '[redacted]';
/** The part of a secret after a prefix such as `sk-proj-`, which leaks the key just as well. */
const PREFIX = /^[A-Za-z]{2,6}[-_](?:[A-Za-z]{2,8}[-_])?/;
const MIN_SECRET_CHARS = 8;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function variants(secret: string): string[] {
	const body = secret.replace(PREFIX, '');
	return body !== secret && body.length >= MIN_SECRET_CHARS ? [secret, body] : [secret];
}

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < MIN_SECRET_CHARS) continue;
		for (const variant of variants(secret)) out = out.replace(new RegExp(escape(variant), 'gi'), MASK);
	}
	for (const pattern of KEY_LIKE) out = out.replace(pattern, (match) => (/^bearer/i.test(match) ? `Bearer ${MASK}` : MASK));
	return out;
}
