import { env } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { InterviewStore, type SessionState } from '../../../durable-objects';

/** The Interview Durable Object of a single-use link, or of one interview of a multi-use link. */
export const linkObject = (linkId: string) => env.INTERVIEW.get(env.INTERVIEW.idFromName(`link:${linkId}`));
export const interviewObject = (interviewId: string) => env.INTERVIEW.get(env.INTERVIEW.idFromName(`interview:${interviewId}`));

type Stub = ReturnType<typeof linkObject>;

/** What the object has stored, read through its storage as a restarted object would. */
export async function stored<T>(stub: Stub, read: (store: InterviewStore) => T): Promise<T> {
	return runInDurableObject(stub, (_instance, state) => read(new InterviewStore(state.storage)));
}

/**
 * Changes the stored session as time passing would (or as a crash would leave it), then evicts the
 * object so it reloads from storage. Hibernatable sockets stay open.
 */
export async function patchSession(stub: Stub, patch: (state: SessionState) => Partial<SessionState>): Promise<void> {
	await runInDurableObject(stub, (_instance, state) => {
		const store = new InterviewStore(state.storage);
		store.updateSession(patch(store.session!));
	});
	await evictDurableObject(stub);
}

/** A crash of the process: the object's memory is gone and its sockets drop without a close handler running. */
export const crash = (stub: Stub) => evictDurableObject(stub, { webSockets: 'close' });
