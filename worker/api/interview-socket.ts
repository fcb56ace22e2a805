import { ADMISSION_HEADER, type Admission } from '../../durable-objects';
import { createDatabase } from '../db/client';
import { ApiError, errorResponse } from '../lib/errors';
import { logInfo } from '../lib/log';
import { isWebSocketUpgrade, refuseSocket, type Refusal } from '../lib/socket';
import { linkObjectName, openTicket } from '../services/interviews';
import { linkState, REFUSALS, resolveLinkToken, singleLinkRefusal } from '../services/links';
import { respondentNetworkHash } from '../services/records';

const TICKET_REQUIRED: Refusal = {
	code: 'join_ticket_required',
	message: 'Join this link through POST /api/public/links/:token/join, then open the socket it answers with.'
};

/** Opens a socket to an Interview Durable Object, telling it only what the gateway decided. */
async function connectInterview(env: Env, name: string, admission: Admission): Promise<Response> {
	const stub = env.INTERVIEW.get(env.INTERVIEW.idFromName(name));
	return stub.fetch('https://interview.internal/connect', {
		headers: { Upgrade: 'websocket', [ADMISSION_HEADER]: JSON.stringify(admission) }
	});
}

/** `GET /ws/interview/:token`: checks the link against D1, then hands the socket to its Interview DO. */
export async function handleInterviewSocket(request: Request, env: Env): Promise<Response> {
	if (request.method !== 'GET' || !isWebSocketUpgrade(request)) {
		return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'), { Upgrade: 'websocket' });
	}
	const url = new URL(request.url);
	const token = url.pathname.slice('/ws/interview/'.length);
	const resolved = await resolveLinkToken(env, createDatabase(env.DB), token);
	const state = linkState(resolved);
	if (!resolved || state === 'unknown') {
		logInfo('interview.socket_refused', { reason: 'unknown' });
		return refuseSocket(REFUSALS.unknown);
	}
	const closed = singleLinkRefusal(resolved, state);
	if (closed) {
		logInfo('interview.socket_refused', { linkId: resolved.row.id, reason: state });
		return refuseSocket(closed);
	}
	if (resolved.row.kind !== 'single') {
		// A multi-use join was admitted by POST /api/public/links/:token/join: its ticket names the interview's object.
		const ticket = await openTicket(env, url.searchParams.get('ticket'), resolved.row.id);
		if (!ticket) {
			logInfo('interview.socket_refused', { linkId: resolved.row.id, reason: 'ticket' });
			return refuseSocket(TICKET_REQUIRED);
		}
		logInfo('interview.socket_opened', { linkId: resolved.row.id, kind: resolved.row.kind });
		return connectInterview(env, ticket.objectName, {
			linkId: null,
			token: null,
			interviewId: ticket.interviewId,
			resumeToken: ticket.resumeToken
		});
	}
	logInfo('interview.socket_opened', { linkId: resolved.row.id, kind: resolved.row.kind });
	return connectInterview(env, linkObjectName(resolved.row.id), {
		linkId: resolved.row.id,
		token,
		interviewId: null,
		resumeToken: null,
		networkHash: await respondentNetworkHash(env, request.headers)
	});
}
