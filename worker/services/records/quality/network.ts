import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { interview } from '../../../db/schema';
import { signingSecret } from '../../accounts';

/**
 * The respondent's network and browser as a keyed hash (HMAC-SHA256 under a key derived from the
 * deployment's signing secret): two interviews from the same address and User-Agent get the same
 * value, and neither the address nor the User-Agent is stored or can be read back from it.
 */
export async function respondentNetworkHash(env: Pick<Env, 'BETTER_AUTH_SECRET'>, headers: Headers): Promise<string | null> {
	const address = headers.get('cf-connecting-ip')?.trim();
	if (!address) return null;
	const agent = headers.get('user-agent')?.trim() ?? '';
	const material = new TextEncoder().encode(`${signingSecret(env)}:respondent-network`);
	const key = await crypto.subtle.importKey(
		'raw',
		await crypto.subtle.digest('SHA-256', material),
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${address}\n${agent}`));
	return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Notes the network hash of the interview just admitted (once: a rejoin from elsewhere keeps the first). */
export async function noteRespondentNetwork(db: Database, interviewId: string, networkHash: string | null): Promise<void> {
	if (!networkHash) return;
	await db
		.update(interview)
		.set({ networkHash })
		.where(and(eq(interview.id, interviewId), isNull(interview.networkHash)));
}
