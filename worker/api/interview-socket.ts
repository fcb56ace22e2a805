import { ADMISSION_HEADER, type Admission } from '../../durable-objects';
import { parseClientFrame } from '../lib/frames';
import { MalformedFrameCounter } from '../lib/socket-limits';
import type { SocketErrorCode } from '../contracts/protocol';
import { createDatabase } from '../db/client';
import { ApiError, errorResponse } from '../lib/errors';
import { logError, logInfo } from '../lib/log';
import { currentRequestId, withRequestId } from '../lib/request-context';
import { closeQuietly, isWebSocketUpgrade, refuse, refuseSocket, sendMessage, WAITING, type Refusal } from '../lib/socket';
import { admitMulti, checkHello, interviewObjectName, linkObjectName } from '../services/interviews';
import { linkState, REFUSALS, resolveLinkToken, type ResolvedLink } from '../services/links';

export const HELLO_TIMEOUT_MS = 15_000;
/** Waiting for the respondent to read the mailed code and type it. */
const VERIFY_TIMEOUT_MS = 10 * 60_000;
const HELLO_TIMEOUT: Refusal = { code: 'hello_timeout', message: 'Send hello to join the interview.' };
const UNAVAILABLE: Refusal = { code: 'unavailable', message: 'The interview could not be opened. Try again.' };

/** Opens a socket to an Interview Durable Object, telling it only what the gateway decided. */
async function connectInterview(env: Env, name: string, admission: Admission): Promise<Response> {
	const stub = env.INTERVIEW.get(env.INTERVIEW.idFromName(name));
	return stub.fetch('https://interview.internal/connect', {
		headers: { Upgrade: 'websocket', [ADMISSION_HEADER]: JSON.stringify(admission) }
	});
}

/**
 * Multi-use links: which interview a join belongs to depends on the email (or resume token) in
 * its `hello`, so the gateway reads that frame, checks it, admits the join in D1, then relays the
 * socket to that interview's Durable Object, replaying the hello and anything queued behind it.
 * A hello that needs the email proven (a rejoin from another browser) keeps the socket here,
 * seeing nothing of the interview, until a hello with the right code arrives.
 */
function relayMultiUse(env: Env, resolved: ResolvedLink, token: string): Response {
	const { 0: client, 1: server } = new WebSocketPair();
	server.accept();
	server.binaryType = 'arraybuffer';
	let upstream: WebSocket | null = null;
	let admitting = false;
	const queued: (string | ArrayBuffer)[] = [];
	const malformed = new MalformedFrameCounter();
	let timer = setTimeout(() => refuse(server, HELLO_TIMEOUT), HELLO_TIMEOUT_MS);

	const rejectFrame = (code: SocketErrorCode, message: string) => {
		admitting = false;
		if (malformed.tooMany(server)) return refuse(server, malformed.refusal);
		sendMessage(server, { type: 'error', code, message });
	};

	const admitAndConnect = async (frame: string) => {
		const parsed = parseClientFrame(frame);
		if (parsed.kind === 'invalid') return rejectFrame(parsed.code, parsed.message);
		if (parsed.kind === 'message' && parsed.message.type === 'ping') {
			admitting = false;
			return sendMessage(server, WAITING);
		}
		if (parsed.kind !== 'message' || parsed.message.type !== 'hello') return rejectFrame('hello_required', 'Send hello first.');
		const checked = checkHello(parsed.message, { emailRequired: resolved.row.askEmail });
		if (!checked.ok) return refuse(server, checked.refusal);
		const admission = await admitMulti(env, createDatabase(env.DB), resolved.row.id, token, checked.hello);
		if (admission.ok === 'verify') {
			admitting = false;
			clearTimeout(timer);
			timer = setTimeout(() => refuse(server, HELLO_TIMEOUT), VERIFY_TIMEOUT_MS);
			return sendMessage(server, { type: 'rejoin.verify', email: admission.email, expiresInMs: admission.expiresInMs });
		}
		if (admission.ok === 'retry') {
			admitting = false;
			return sendMessage(server, { type: 'error', ...admission.error });
		}
		if (!admission.ok) {
			logInfo('interview.join_refused', { linkId: resolved.row.id, code: admission.refusal.code });
			return refuse(server, admission.refusal);
		}
		clearTimeout(timer);
		logInfo('interview.admitted', { linkId: resolved.row.id, interviewId: admission.interview.id });
		const response = await connectInterview(env, interviewObjectName(admission.interview, resolved.row.kind), {
			linkId: null,
			token: null,
			interviewId: admission.interview.id,
			resumeToken: admission.resumeToken
		});
		const socket = response.webSocket;
		if (!socket) return refuse(server, UNAVAILABLE);
		socket.accept();
		socket.binaryType = 'arraybuffer';
		socket.addEventListener('message', (event) => server.send(event.data as string | ArrayBuffer));
		socket.addEventListener('close', (event) => closeQuietly(server, event.code, event.reason));
		upstream = socket;
		socket.send(frame);
		for (const pending of queued.splice(0)) socket.send(pending);
	};

	// The socket outlives the request that opened it: its lines keep that request's id.
	const requestId = currentRequestId() ?? crypto.randomUUID();
	server.addEventListener('message', (event) => {
		const data = event.data as string | ArrayBuffer;
		if (upstream) return upstream.send(data);
		if (admitting) return void queued.push(data);
		if (typeof data !== 'string') return rejectFrame('hello_required', 'Send hello first.');
		admitting = true;
		withRequestId(requestId, () =>
			admitAndConnect(data).catch((error) => {
				logError('interview.relay_failed', error, { linkId: resolved.row.id });
				refuse(server, UNAVAILABLE);
			})
		);
	});
	server.addEventListener('close', (event) => {
		clearTimeout(timer);
		if (upstream) closeQuietly(upstream, event.code, event.reason);
	});
	return new Response(null, { status: 101, webSocket: client });
}

/** `GET /ws/interview/:token`: checks the link against D1, then hands the socket to its Interview DO. */
export async function handleInterviewSocket(request: Request, env: Env): Promise<Response> {
	if (request.method !== 'GET' || !isWebSocketUpgrade(request)) {
		return errorResponse(new ApiError('upgrade_required', 'This endpoint takes a WebSocket upgrade.'), { Upgrade: 'websocket' });
	}
	const token = new URL(request.url).pathname.slice('/ws/interview/'.length);
	const resolved = await resolveLinkToken(env, createDatabase(env.DB), token);
	const state = linkState(resolved);
	if (!resolved || state === 'unknown') {
		logInfo('interview.socket_refused', { reason: 'unknown' });
		return refuseSocket(REFUSALS.unknown);
	}
	const running = resolved.row.status === 'active';
	if (resolved.row.kind === 'single' && state !== 'open' && !running) {
		logInfo('interview.socket_refused', { linkId: resolved.row.id, reason: state });
		return refuseSocket(REFUSALS[state]);
	}
	logInfo('interview.socket_opened', { linkId: resolved.row.id, kind: resolved.row.kind });
	if (resolved.row.kind !== 'single') return relayMultiUse(env, resolved, token);
	return connectInterview(env, linkObjectName(resolved.row.id), { linkId: resolved.row.id, token, interviewId: null, resumeToken: null });
}
