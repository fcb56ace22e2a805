import { OBSERVATION_HEADER, type Observation } from '../../durable-objects';
import { createDatabase, type Database } from '../db/client';
import { ApiError, errorResponse } from '../lib/errors';
import { logError } from '../lib/log';
import { isTrustedOrigin } from '../lib/origins';
import type { Principal } from '../lib/principal';
import { isWebSocketUpgrade, refuseSocket, type Refusal } from '../lib/socket';
import { findObservedInterview } from '../services/interviews';
import { apiKeyCaller, bearerSecret, sessionAccount, sessionCaller } from './credentials';

export const OBSERVE_PREFIX = '/ws/observe/';

const UNAUTHENTICATED: Refusal = {
	code: 'observer_unauthenticated',
	message: 'Sign in to Parley, or send an API key, to watch an interview.'
};
const FOREIGN_ORIGIN: Refusal = { code: 'observer_unauthenticated', message: 'This connection did not come from the Parley app.' };
const NOT_FOUND: Refusal = { code: 'interview_not_found', message: 'There is no such interview in your workspace.' };
const UNAVAILABLE: Refusal = { code: 'unavailable', message: 'The interview could not be opened. Try again.' };
/** Interview ids are short; anything longer is not one and is not looked up. */
const MAX_ID_CHARS = 64;

type Checked = { ok: true; principal: Principal } | { ok: false; refusal: Refusal };

/**
 * Who is asking: an API key (scripts), or the session cookie of a page on the app's own origin. A
 * WebSocket upgrade is not bound by CORS and carries the cookie from any site, so for cookies the
 * Origin check is what keeps another site from watching with a researcher's session.
 */
async function checkObserver(env: Env, db: Database, request: Request, ctx: ExecutionContext): Promise<Checked> {
	const authorization = request.headers.get('Authorization');
	if (authorization) {
		const secret = bearerSecret(authorization);
		const caller = secret ? await apiKeyCaller(db, secret) : null;
		if (!caller) return { ok: false, refusal: UNAUTHENTICATED };
		ctx.waitUntil(caller.touch());
		return { ok: true, principal: caller.principal };
	}
	if (!request.headers.get('Cookie')) return { ok: false, refusal: UNAUTHENTICATED };
	const account = await sessionAccount(env, request);
	if (!account) return { ok: false, refusal: UNAUTHENTICATED };
	if (!isTrustedOrigin(request.headers.get('Origin'), env.PUBLIC_BASE_URL)) return { ok: false, refusal: FOREIGN_ORIGIN };
	return { ok: true, principal: (await sessionCaller(env, db, account)).principal };
}

/**
 * `GET /ws/observe/:interviewId`: a researcher of the interview's workspace watches it live. The
 * credentials are checked before the id is looked at, and another workspace's interview is refused
 * exactly as an unknown one; an accepted socket goes to the interview's Durable Object.
 */
export async function handleObserverSocket(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
	if (request.method !== 'GET' || !isWebSocketUpgrade(request)) {
		return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'), { Upgrade: 'websocket' });
	}
	const interviewId = new URL(request.url).pathname.slice(OBSERVE_PREFIX.length);
	try {
		const db = createDatabase(env.DB);
		const checked = await checkObserver(env, db, request, ctx);
		if (!checked.ok) return refuseSocket(checked.refusal);
		const found =
			interviewId && interviewId.length <= MAX_ID_CHARS
				? await findObservedInterview(db, checked.principal.workspaceId, interviewId)
				: null;
		if (!found) return refuseSocket(NOT_FOUND);
		const { objectName, ...observation } = found;
		const stub = env.INTERVIEW.get(env.INTERVIEW.idFromName(objectName));
		return await stub.fetch('https://interview.internal/observe', {
			headers: { Upgrade: 'websocket', [OBSERVATION_HEADER]: JSON.stringify(observation satisfies Observation) }
		});
	} catch (error) {
		logError('observer.connect_failed', error, { interviewId: interviewId.slice(0, MAX_ID_CHARS) });
		return refuseSocket(UNAVAILABLE);
	}
}
