import { exports } from 'cloudflare:workers';
import type { CreatedApiKey } from '../../../worker/contracts/api';
import type { ObserverMessage, ObserverWelcome } from '../../../worker/contracts/observer';
import { callJson, ORIGIN, type TestUser } from './api';
import { join, respondent, type Joined } from './interview';
import { openSocket, type OpenedSocket } from './socket';

export type Observed = OpenedSocket<ObserverMessage>;

/** A browser on the app's origin, signed in as `user`. */
export const asBrowser = (user: TestUser) => ({ Cookie: user.cookie, Origin: ORIGIN });
export const withKey = (secret: string) => ({ Authorization: `Bearer ${secret}` });

/** Opens the observer socket of an interview with these headers (credentials, Origin). */
export const observe = (interviewId: string, headers: Record<string, string> = {}) =>
	openSocket<ObserverMessage>(`/ws/observe/${interviewId}`, exports.default, headers);

/** Opens the observer socket and waits for the welcome (or the refusal). */
export async function watch(interviewId: string, headers: Record<string, string>): Promise<Observed & { first: ObserverMessage }> {
	const observed = await observe(interviewId, headers);
	return { ...observed, first: await observed.next('observe.welcome', 'error') };
}

export const welcomeOf = (message: ObserverMessage) => {
	if (message.type !== 'observe.welcome') throw new Error(`expected a welcome, got ${JSON.stringify(message)}`);
	return message as ObserverWelcome;
};

export async function createApiKey(user: TestUser): Promise<string> {
	const created = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
		method: 'POST',
		json: { name: 'observer script' },
		as: user.as
	});
	if (created.status !== 201) throw new Error(`create key failed: ${created.status}`);
	return created.body.secret;
}

/** A respondent on a link, joined and past the interviewer's opening turn; `interviewId` from their welcome. */
export async function running(token: string, email = respondent()): Promise<Joined & { interviewId: string; email: string }> {
	const joined = await join(token, { email });
	if (joined.first.type !== 'welcome') throw new Error(`join refused: ${JSON.stringify(joined.first)}`);
	await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
	return { ...joined, interviewId: joined.first.interview, email };
}

type ObservedTurn = Extract<ObserverMessage, { type: 'turn' }>;

/** Waits until the observer has received a turn matching `find`. */
export const turnSeen = (observed: Observed, find: (turn: ObservedTurn) => boolean) =>
	observed.waitFor((all) => all.find((message): message is ObservedTurn => message.type === 'turn' && find(message)));
