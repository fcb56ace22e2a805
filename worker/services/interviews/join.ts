import type { Database } from '../../db/client';
import { logInfo } from '../../lib/log';
import type { Refusal, SocketError } from '../../lib/socket';
import { linkState, REFUSALS, resolveLinkToken, singleLinkRefusal } from '../links';
import { screenJoin } from '../screeners';
import { admitMulti, interviewObjectName } from './admission';
import { checkHello, type Hello } from './hello';
import { sealTicket } from './tickets';
import { noteRespondentNetwork } from '../records';

/** Where a respondent's browser connects, or why it may not (yet). */
export type JoinAnswer =
	| { kind: 'connect'; path: string }
	| { kind: 'verify'; email: string; expiresInMs: number }
	| { kind: 'refused'; refusal: Refusal }
	/** A mistyped rejoin code: ask again. */
	| { kind: 'retry'; error: SocketError };

const socketPath = (token: string, ticket?: string) => `/ws/interview/${token}${ticket ? `?ticket=${encodeURIComponent(ticket)}` : ''}`;

/**
 * A join asked for over HTTP, before any socket: the hello is checked the one way admission checks
 * it, and a multi-use link admits the join in D1 here and answers with a sealed ticket, so the socket
 * goes straight to that interview's Durable Object (one hop; the Worker relays no frame). A
 * single-use link's object admits its own joins, so its socket needs no ticket.
 */
export async function requestJoin(
	env: Env,
	db: Database,
	token: string,
	hello: Omit<Hello, 'type' | 'protocol'>,
	networkHash: string | null = null
): Promise<JoinAnswer> {
	const resolved = await resolveLinkToken(env, db, token);
	const state = linkState(resolved);
	if (!resolved || state === 'unknown') return { kind: 'refused', refusal: REFUSALS.unknown };
	const single = resolved.row.kind === 'single';
	const checked = checkHello({ type: 'hello', protocol: 1, ...hello }, { emailRequired: single || resolved.row.askEmail });
	if (!checked.ok) return { kind: 'refused', refusal: checked.refusal };
	if (single) {
		const closed = singleLinkRefusal(resolved, state);
		if (closed) return { kind: 'refused', refusal: closed };
		// Its object screens again at hello; refusing here spares the socket for whoever will not be admitted.
		const screened = resolved.row.status === 'pending' ? await screenJoin(db, resolved.row, checked.hello.screener) : null;
		return screened?.ok === false ? { kind: 'refused', refusal: screened.refusal } : { kind: 'connect', path: socketPath(token) };
	}
	const admission = await admitMulti(env, db, resolved.row.id, token, checked.hello);
	if (admission.ok === 'verify') return { kind: 'verify', email: admission.email, expiresInMs: admission.expiresInMs };
	if (admission.ok === 'retry') return { kind: 'retry', error: admission.error };
	if (!admission.ok) return { kind: 'refused', refusal: admission.refusal };
	logInfo('interview.admitted', { linkId: resolved.row.id, interviewId: admission.interview.id });
	if (!admission.rejoined) await noteRespondentNetwork(db, admission.interview.id, networkHash);
	const ticket = await sealTicket(env, {
		linkId: resolved.row.id,
		interviewId: admission.interview.id,
		objectName: interviewObjectName(admission.interview, resolved.row.kind),
		resumeToken: admission.resumeToken
	});
	return { kind: 'connect', path: socketPath(token, ticket) };
}
