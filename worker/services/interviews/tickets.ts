import { Buffer } from 'node:buffer';
import { signingSecret } from '../accounts';

/**
 * A join ticket: what admission decided for a multi-use join, sealed (AES-GCM, a key derived from
 * the deployment's signing secret) so the socket's upgrade can go straight to the interview's
 * Durable Object without the Worker reading the hello again. It is short-lived and names its link:
 * a ticket for another link, an expired one, or one that does not open is no ticket.
 */
export type JoinTicket = { linkId: string; interviewId: string; objectName: string; resumeToken: string | null };

/** Long enough to open a socket after the join answered, and to reconnect at once after a drop. */
export const TICKET_TTL_MS = 60_000;
const IV_BYTES = 12;

async function ticketKey(env: Pick<Env, 'BETTER_AUTH_SECRET'>): Promise<CryptoKey> {
	const material = new TextEncoder().encode(`${signingSecret(env)}:join-ticket`);
	const digest = await crypto.subtle.digest('SHA-256', material);
	return crypto.subtle.importKey('raw', digest, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealTicket(env: Pick<Env, 'BETTER_AUTH_SECRET'>, ticket: JoinTicket, now = Date.now()): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const plain = new TextEncoder().encode(JSON.stringify({ ...ticket, expiresAt: now + TICKET_TTL_MS }));
	const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await ticketKey(env), plain));
	return Buffer.concat([iv, sealed]).toString('base64url');
}

/** The ticket for `linkId`, if `text` is one this deployment sealed and it has not expired. */
export async function openTicket(
	env: Pick<Env, 'BETTER_AUTH_SECRET'>,
	text: string | null,
	linkId: string,
	now = Date.now()
): Promise<JoinTicket | null> {
	if (!text || text.length > 1_024) return null;
	const bytes = Buffer.from(text, 'base64url');
	if (bytes.byteLength <= IV_BYTES) return null;
	try {
		const plain = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES) },
			await ticketKey(env),
			bytes.subarray(IV_BYTES)
		);
		const ticket = JSON.parse(new TextDecoder().decode(plain)) as JoinTicket & { expiresAt: number };
		if (ticket.linkId !== linkId || !(ticket.expiresAt > now)) return null;
		return { linkId: ticket.linkId, interviewId: ticket.interviewId, objectName: ticket.objectName, resumeToken: ticket.resumeToken };
	} catch {
		return null;
	}
}
