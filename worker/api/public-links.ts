import { createRoute, z } from '@hono/zod-openapi';
import { JoinAnswer, PublicLink } from '../contracts/links';
import { JoinFields, SOCKET_ERRORS } from '../contracts/protocol';
import { logInfo } from '../lib/log';
import { requestJoin } from '../services/interviews';
import { respondentNetworkHash } from '../services/records';
import { publicLink, resolveLinkToken } from '../services/links';
import { createRouter } from './context';
import { ERRORS, json, jsonBody } from './openapi';
import { PUBLIC } from './openapi-document';

const TokenParam = z.object({ token: z.string().max(128) });

const route = createRoute({
	method: 'get',
	path: '/public/links/{token}',
	operationId: 'getPublicLink',
	...PUBLIC,
	tags: ['respondents'],
	summary: "What a respondent's onboarding needs, or why the link cannot be used (no sign-in)",
	request: { params: TokenParam },
	responses: { 200: json(PublicLink, 'The link, or its state'), 400: ERRORS[400] }
});

const joinRoute = createRoute({
	method: 'post',
	path: '/public/links/{token}/join',
	operationId: 'joinInterview',
	...PUBLIC,
	tags: ['respondents'],
	summary: 'Join an interview (no sign-in): where to open its socket, a mailed code to ask for, or why not',
	description:
		'Takes the fields of the socket’s `hello`. A multi-use link admits the join here and answers with a socket path carrying a join ticket, good for a minute, so the socket goes straight to the interview; a single-use link answers with its plain socket path. Send `hello` on the socket as usual. A refused join is an answer (`refused`, with the close code the socket would have closed with); only a malformed body is a 400.',
	request: { params: TokenParam, ...jsonBody(JoinFields, { email: 'respondent@example.com', consent: true, language: 'en' }) },
	responses: { 200: json(JoinAnswer, 'The socket to open, a code to ask for, or the refusal'), 400: ERRORS[400] }
});

export function publicLinkRoutes() {
	return createRouter()
		.openapi(route, async (c) => {
			const resolved = await resolveLinkToken(c.env, c.get('db'), c.req.valid('param').token);
			return c.json(await publicLink(c.env, c.get('db'), resolved), 200);
		})
		.openapi(joinRoute, async (c) => {
			const network = await respondentNetworkHash(c.env, c.req.raw.headers);
			const answer = await requestJoin(c.env, c.get('db'), c.req.valid('param').token, c.req.valid('json'), network);
			if (answer.kind === 'connect') return c.json({ url: answer.path }, 200);
			if (answer.kind === 'verify') return c.json({ verify: { email: answer.email, expiresInMs: answer.expiresInMs } }, 200);
			const { code, message } = answer.kind === 'refused' ? answer.refusal : answer.error;
			logInfo('interview.join_refused', { code });
			return c.json({ refused: { code, message, closeCode: SOCKET_ERRORS[code] } }, 200);
		});
}
