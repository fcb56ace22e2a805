/** What the Workers AI cascade's tests share: the provider switched on over the fake binding, the socket's turns and audio, waiting, and a ready interview link. */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, vi } from 'vitest';
import type { createFakeAi } from '../../fakes/ai-binding';
import type { ServerMessage } from '../../../worker/contracts/protocol';
import { signUp } from './api';
import { createInterviewer, createLinks, GUIDE } from './interview';
import { createProject } from './workspace';

export const turnsOf = (messages: ServerMessage[]) =>
	messages.filter((message): message is Extract<ServerMessage, { type: 'turn' }> => message.type === 'turn');

/** How many interviewer turns the socket has seen (a turn is sent again when a barge-in cuts it). */
export const replies = (messages: ServerMessage[]) =>
	new Set(turnsOf(messages).flatMap((turn) => (turn.role === 'interviewer' ? [turn.id] : []))).size;

export const received = (frames: unknown[]) =>
	Promise.all(frames.map((frame) => (frame instanceof Blob ? frame.arrayBuffer() : (frame as ArrayBuffer))));

export const concat = (chunks: Array<ArrayBuffer | Uint8Array>) => {
	const total = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
	let offset = 0;
	for (const chunk of chunks) {
		total.set(chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk), offset);
		offset += chunk.byteLength;
	}
	return total;
};

export const sha256 = async (bytes: Uint8Array) =>
	[...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('');

export async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** A single-use link of a new interviewer (English, Luna, unless `settings` say otherwise). */
export async function interviewLink(settings: Record<string, unknown> = {}) {
	const owner = await signUp('researcher');
	const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: GUIDE });
	const created = await createInterviewer(owner, project.id, { voice: 'luna', language: 'en', ...settings });
	const { links } = await createLinks(owner, created.id, { kind: 'single', count: 1 });
	return links[0]!;
}

/**
 * Runs the test file's interviews on Workers AI, answered by the fake binding `current()` returns
 * (a file makes a new one per test, or per case).
 */
export function useWorkersAi(current: () => ReturnType<typeof createFakeAi>): void {
	const saved = { AI_PROVIDER: env.AI_PROVIDER };
	beforeAll(() => {
		Object.assign(env, { AI_PROVIDER: 'workers-ai' });
		vi.spyOn(env.AI, 'run').mockImplementation((...args: Parameters<Ai['run']>) => current().run(...args));
	});
	afterAll(() => {
		Object.assign(env, saved);
		vi.restoreAllMocks();
	});
}
