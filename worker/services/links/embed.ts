import type { Database } from '../../db/client';
import { ApiError } from '../../lib/errors';
import { isLoopbackUrl } from '../../lib/origins';
import { linkState, resolveLinkToken } from './access';

/**
 * The contract admits https origins and http loopback ones; plain http is for a test page on the
 * developer's own machine, so only a loopback development server accepts it.
 */
export function assertEmbedOrigins(env: Pick<Env, 'PUBLIC_BASE_URL'>, origins: readonly string[] | undefined): void {
	if (!origins || isLoopbackUrl(env.PUBLIC_BASE_URL)) return;
	const plain = origins.find((origin) => origin.startsWith('http:'));
	if (plain) {
		throw new ApiError('invalid_request', `Websites that embed an interview use https; ${plain} is allowed only on a development server.`, {
			origin: plain
		});
	}
}

export function assertEmbeddable(kind: string, origins: readonly string[] | undefined): void {
	if (kind === 'single' && origins !== undefined) throw new ApiError('invalid_request', 'Only public and private links can be embedded.');
}

/**
 * The origins that may frame `/embed/<token>`: the link's Allowed websites, or none when the token
 * is unknown or the link is gone. A closed link still frames, so the page can say why it is closed.
 */
export async function embedAncestors(env: Env, db: Database, token: string): Promise<string[]> {
	const resolved = await resolveLinkToken(env, db, token);
	if (!resolved || resolved.row.kind === 'single' || linkState(resolved) === 'unknown') return [];
	return resolved.row.allowedOrigins;
}
