import { createRoute, z } from '@hono/zod-openapi';
import { PublicLink } from '../contracts/links';
import { publicLink, resolveLinkToken } from '../services/links';
import { createRouter } from './context';
import { json } from './openapi';

const route = createRoute({
	method: 'get',
	path: '/public/links/{token}',
	tags: ['respondents'],
	summary: "What a respondent's onboarding needs, or why the link cannot be used (no sign-in)",
	request: { params: z.object({ token: z.string().max(128) }) },
	responses: { 200: json(PublicLink, 'The link, or its state') }
});

export function publicLinkRoutes() {
	return createRouter().openapi(route, async (c) => {
		const resolved = await resolveLinkToken(c.env, c.get('db'), c.req.valid('param').token);
		return c.json(await publicLink(c.env, c.get('db'), resolved), 200);
	});
}
