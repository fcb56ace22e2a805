import { z } from 'zod';

/**
 * KV caches only what never changes: a token and the ids it points to.
 * Status is always read from D1 and the Interview DO, never from KV (KV takes up to 60 s to converge).
 */
const LinkTokenIds = z.object({ linkId: z.string(), workspaceId: z.string() });
export type LinkTokenIds = z.infer<typeof LinkTokenIds>;

const key = (token: string) => `link-token:${token}`;

export async function lookupLinkToken(env: Pick<Env, 'LINKS'>, token: string): Promise<LinkTokenIds | null> {
	const cached = await env.LINKS.get(key(token), 'json');
	const parsed = LinkTokenIds.safeParse(cached);
	return parsed.success ? parsed.data : null;
}

export async function rememberLinkToken(env: Pick<Env, 'LINKS'>, token: string, ids: LinkTokenIds): Promise<void> {
	await env.LINKS.put(key(token), JSON.stringify(ids));
}

export async function forgetLinkToken(env: Pick<Env, 'LINKS'>, token: string): Promise<void> {
	await env.LINKS.delete(key(token));
}
