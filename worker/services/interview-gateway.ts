import { CLOSE_CODES } from '../contracts/protocol';
import { ApiError, errorResponse } from '../lib/errors';
import { isWebSocketUpgrade } from '../lib/request-guards';
import { refuseSocket } from '../lib/socket';
import { lookupLinkToken } from './link-tokens';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

/** `GET /ws/interview/:token`: resolves the link and hands the socket to its Interview Durable Object. */
export async function handleInterviewSocket(request: Request, env: Env): Promise<Response> {
	if (request.method !== 'GET' || !isWebSocketUpgrade(request)) {
		return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'), { Upgrade: 'websocket' });
	}
	const token = new URL(request.url).pathname.slice('/ws/interview/'.length);
	const ids = TOKEN_PATTERN.test(token) ? await lookupLinkToken(env, token) : null;
	if (!ids) return refuseSocket(CLOSE_CODES.unknownLink, 'unknown_link', 'This interview link does not exist or has been revoked.');
	const stub = env.INTERVIEW.get(env.INTERVIEW.idFromName(ids.linkId));
	return stub.fetch(request);
}
