import { env } from 'cloudflare:workers';
import { abortAllDurableObjects, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { InterviewStore, type Interview, type SessionState } from '../../../durable-objects';

/** The Interview Durable Object of a single-use link. */
export const linkObject = (linkId: string) => env.INTERVIEW.get(env.INTERVIEW.idFromName(`link:${linkId}`));

type Stub = ReturnType<typeof linkObject>;

/** What the object has stored, read through its storage as a restarted object would. */
export async function stored<T>(stub: Stub, read: (store: InterviewStore) => T): Promise<T> {
	return runInDurableObject(stub, (_instance, state) => read(new InterviewStore(state.storage)));
}

/**
 * Changes the stored session as time passing would (or as a crash would leave it), then evicts the
 * object so it reloads from storage. Hibernatable sockets stay open.
 */
export async function patchSession(stub: Stub, patch: (state: SessionState) => Partial<SessionState>): Promise<SessionState> {
	const patched = await runInDurableObject(stub, (_instance, state) => {
		const store = new InterviewStore(state.storage);
		return store.updateSession(patch(store.session!));
	});
	await evictDurableObject(stub);
	return patched;
}

/**
 * Changes the session as time passing would, in the running object itself (its store's cache too),
 * for interviews whose provider holds the object awake (an open speech-to-text socket cannot be evicted).
 */
export function patchLiveSession(stub: Stub, patch: (state: SessionState) => Partial<SessionState>): Promise<SessionState> {
	return runInDurableObject(stub, (instance: Interview) => {
		const store = instance['store'];
		return store.updateSession(patch(store.session!));
	});
}

/** Sets the object's alarm to fire soon, so `runDurableObjectAlarm` has one to run. */
export const armAlarm = (stub: Stub) => runInDurableObject(stub, (_instance, state) => state.storage.setAlarm(Date.now() + 60_000));

/** Resolves once the stored session satisfies `ready` (the object handles socket events on its own time). */
export async function untilSession(stub: Stub, ready: (state: SessionState) => boolean, timeoutMs = 5_000): Promise<SessionState> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const session = await stored(stub, (store) => store.session);
		if (session && ready(session)) return session;
		if (Date.now() > end) throw new Error('the stored session never got there');
		await new Promise((resume) => setTimeout(resume, 10));
	}
}

/**
 * A crash of the process: every object is reset, its memory is gone and the respondent's sockets
 * drop without a close handler running. Storage stays. A stub used before it is broken, as a
 * Worker's would be: take a new one.
 */
export const crash = () => abortAllDurableObjects();
