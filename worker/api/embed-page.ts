import { createDatabase } from '../db/client';
import { embedAncestors } from '../services/links';

export const EMBED_PREFIX = '/embed/';

/**
 * The page's CSP with its `frame-ancestors` set to the link's Allowed websites. Every other page keeps
 * `frame-ancestors 'none'`, and so does this one for a link without any (or an unknown token).
 */
function withFrameAncestors(policy: string, origins: readonly string[]): string {
	const ancestors = origins.length > 0 ? origins.join(' ') : "'none'";
	const others = policy
		.split(';')
		.map((directive) => directive.trim())
		.filter((directive) => directive !== '' && !directive.startsWith('frame-ancestors'));
	return [...others, `frame-ancestors ${ancestors}`].join('; ');
}

/**
 * `/embed/<token>`: the respondent page that researchers frame on their own websites, served like
 * /interview/<token> (respondent-page.ts); the header that decides who may frame it depends on the link.
 */
export async function servedEmbedPage(request: Request, env: Env, render: () => Promise<Response>): Promise<Response> {
	const token = new URL(request.url).pathname.slice(EMBED_PREFIX.length);
	const [page, origins] = await Promise.all([render(), embedAncestors(env, createDatabase(env.DB), token)]);
	const response = new Response(page.body, page);
	const policy = response.headers.get('Content-Security-Policy');
	response.headers.set('Content-Security-Policy', withFrameAncestors(policy ?? '', origins));
	if (origins.length > 0) response.headers.delete('X-Frame-Options');
	return response;
}
