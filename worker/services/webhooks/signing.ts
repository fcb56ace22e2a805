import { randomToken } from '../../lib/crypto';

const SECRET_PREFIX = 'whsec_';

export const newSigningSecret = () => `${SECRET_PREFIX}${randomToken(32)}`;

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The `Parley-Signature` header, as Stripe signs: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * The timestamp is signed with the body, so a captured delivery cannot be replayed later as fresh.
 */
export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
	const encoder = new TextEncoder();
	const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${unixSeconds}.${body}`));
	return `t=${unixSeconds},v1=${hex(mac)}`;
}
