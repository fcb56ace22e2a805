/**
 * Interviews against the fake OpenAI Realtime server the workerd suite starts (test/fakes/openai-realtime.ts):
 * the provider switched on for a test file, interviews whose upstream sessions a marker finds, the
 * fake's control routes, and an OpenAI session driven on its own.
 */
import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, expect, inject, vi } from 'vitest';
import { createOpenAiSession } from '../../../worker/ai/openai-realtime';
import type { OpenAiOptions } from '../../../worker/ai/openai-realtime/session';
import type { InterviewBrief, ProviderErrorCode, ProviderSession, ProviderTurn } from '../../../worker/ai/provider';
import { connectWebSocket } from '../../../worker/ai/upstream';
import type { ServerMessage, Turn } from '../../../worker/contracts/protocol';
import { signUp } from './api';
import { createInterviewer, createLinks, GUIDE } from './interview';
import { createProject } from './workspace';

export const FAKE = inject('openaiRealtimeUrl');
export const KEY = inject('openaiApiKey');
export const CONTROL = FAKE.replace(/\/v1\/realtime$/, '');
/** The REST fake: completion's name pass goes there (and is refused, as the Realtime key is not its key), never to OpenAI. */
const REST_URL = inject('openaiRestUrl');

/** What the fake reports of one upstream session (test/fakes/openai-realtime/types.ts, as JSON). */
export type Summary = {
	id: string;
	refused: string | null;
	instructions: string;
	session: Record<string, any> | null;
	updates: Array<Record<string, any>>;
	eventTypes: string[];
	protocolErrors: string[];
	errors: Array<{ type: string; code: string | null; message: string; param: string | null; event_id: string | null }>;
	faults: string[];
	audioBytes: number;
	audioSha256: string;
	items: Array<{ role: string; type: string; text: string }>;
	replies: Array<{ itemId: string; transcript: string; audioSha256: string; audioBytes: number; status: string }>;
	truncates: Array<{ item_id: string; audio_end_ms: number }>;
	toolCalls: Array<{ callId: string; name: string; arguments: string }>;
	toolOutputs: Array<{ callId: string; name: string; output: string }>;
	closed: boolean;
};

/**
 * Runs the test file's interviews on OpenAI against the fake, and collects every log line; after the
 * file, no line may contain the key.
 */
export function useOpenAi(): { logs: string[] } {
	const saved = {
		AI_PROVIDER: env.AI_PROVIDER,
		OPENAI_API_KEY: env.OPENAI_API_KEY,
		OPENAI_REALTIME_URL: env.OPENAI_REALTIME_URL,
		OPENAI_API_BASE_URL: (env as { OPENAI_API_BASE_URL?: string }).OPENAI_API_BASE_URL
	};
	const logs: string[] = [];
	beforeAll(() => {
		Object.assign(env, { AI_PROVIDER: 'openai', OPENAI_API_KEY: KEY, OPENAI_REALTIME_URL: FAKE, OPENAI_API_BASE_URL: REST_URL });
		for (const method of ['log', 'error', 'warn', 'info'] as const) {
			vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
		}
	});
	afterAll(() => {
		Object.assign(env, saved);
		vi.restoreAllMocks();
		for (const line of logs) expect(line).not.toContain(KEY);
	});
	return { logs };
}

export async function sessions(marker: string): Promise<Summary[]> {
	const response = await fetch(`${CONTROL}/__sessions?match=${encodeURIComponent(marker)}`);
	return (await response.json()) as Summary[];
}

/** Arms a fault on the newest open upstream session of `marker` (see test/fakes/openai-realtime/faults.ts). */
export async function arm(marker: string, fault: string): Promise<void> {
	const response = await fetch(`${CONTROL}/__arm?match=${encodeURIComponent(marker)}&fault=${encodeURIComponent(fault)}`, {
		method: 'POST'
	});
	const { armed } = (await response.json()) as { armed: number };
	if (armed !== 1) throw new Error(`no open session of ${marker} to arm with ${fault}`);
}

/** Cuts the upstream sockets of `marker`, as a network failure would. */
export async function dropUpstream(marker: string): Promise<number> {
	const response = await fetch(`${CONTROL}/__drop?match=${encodeURIComponent(marker)}`, { method: 'POST' });
	return ((await response.json()) as { dropped: number }).dropped;
}

export async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() > end) throw new Error('timed out waiting for the fake');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** The newest upstream session of `marker` once `ready` holds for it. */
export const latestSession = (marker: string, ready: (session: Summary) => boolean = () => true, timeoutMs?: number) =>
	until(async () => {
		const found = (await sessions(marker)).at(-1);
		return found && ready(found) ? found : undefined;
	}, timeoutMs);

export async function sha256(chunks: ArrayBuffer[]): Promise<string> {
	const total = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
	let offset = 0;
	for (const chunk of chunks) {
		total.set(new Uint8Array(chunk), offset);
		offset += chunk.byteLength;
	}
	const digest = await crypto.subtle.digest('SHA-256', total);
	return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A project whose research goals carry a marker, so the test finds its own upstream sessions. */
export async function openaiInterview(interviewer: Record<string, unknown> = {}, guide: typeof GUIDE = GUIDE) {
	const marker = `marker-${crypto.randomUUID()}`;
	const owner = await signUp('researcher');
	const project = await createProject(owner, { researchGoals: `Learn how new users get started. ${marker}`, interviewGuide: guide });
	const created = await createInterviewer(owner, project.id, { voice: 'coral', ...interviewer });
	const { links } = await createLinks(owner, created.id, { kind: 'single', count: 1 });
	return { marker, token: links[0]!.token, linkId: links[0]!.id, owner, project };
}

/** Binary frames as bytes (workerd hands a client socket's binary frames over as Blobs). */
export const received = (frames: unknown[]) =>
	Promise.all(frames.map((frame) => (frame instanceof Blob ? frame.arrayBuffer() : (frame as ArrayBuffer))));

export const turnsOf = (messages: ServerMessage[]) =>
	messages.filter((message): message is Extract<ServerMessage, { type: 'turn' }> => message.type === 'turn');

export const briefFor = (marker: string, overrides: Partial<InterviewBrief> = {}): InterviewBrief => ({
	researchGoals: marker,
	guide: GUIDE,
	linkContext: '',
	interviewerInstructions: '',
	language: 'en',
	voice: 'marin',
	durationMinutes: 10,
	topics: [],
	...overrides
});

/** What an OpenAI session driven on its own reported: its turns (the history it is replayed), audio and errors. */
export type Recorded = {
	history: Turn[];
	audio: ArrayBuffer[];
	errors: Array<{ code: ProviderErrorCode; detail: string }>;
	usage: Record<string, number>;
	speechStarts: number;
};

/** An OpenAI session outside any interview, against the fake: its events recorded, its turns kept as history. */
export function soloSession(
	brief: InterviewBrief,
	options: Partial<OpenAiOptions> = {},
	clock: { elapsedMs?: () => number; remainingMs?: () => number } = {}
): { session: ProviderSession; recorded: Recorded } {
	const recorded: Recorded = { history: [], audio: [], errors: [], usage: {}, speechStarts: 0 };
	const memory = new Map<string, unknown>();
	const store = (turn: ProviderTurn) => {
		const stored: Turn = { id: turn.key, role: turn.role, text: turn.text, final: turn.final, at: turn.startMs ?? 0 };
		if (turn.transcribed === false) stored.transcribed = false;
		const index = recorded.history.findIndex((each) => each.id === stored.id);
		if (index >= 0) recorded.history[index] = stored;
		else recorded.history.push(stored);
	};
	const session = createOpenAiSession(
		{
			brief,
			history: recorded.history,
			remainingMs: clock.remainingMs ?? (() => 9 * 60_000),
			elapsedMs: clock.elapsedMs ?? (() => 1_000),
			memory: { get: (key) => memory.get(key) as never, set: (key, value) => void memory.set(key, value) },
			events: {
				turn: store,
				audio: (pcm) => void recorded.audio.push(pcm),
				speechStarted: () => void (recorded.speechStarts += 1),
				finished: () => {},
				error: (code, detail) => void recorded.errors.push({ code, detail }),
				usage: (usage) => {
					for (const [key, value] of Object.entries(usage)) recorded.usage[key] = (recorded.usage[key] ?? 0) + value;
				}
			}
		},
		{ apiKey: KEY, url: FAKE, model: 'gpt-realtime', ...options }
	);
	return { session, recorded };
}

/**
 * A `connect` for a solo session that counts the sockets the session saw close, so a test knows the
 * session noticed a drop (and what it sends now waits for the next socket) without guessing a delay.
 */
export function watchedConnect() {
	let closes = 0;
	return {
		connect: async (url: string, headers: Record<string, string>) => {
			const socket = await connectWebSocket(url, headers);
			socket.addEventListener('close', () => void (closes += 1));
			return socket;
		},
		noticedDrops: (count = 1) => until(async () => (closes >= count ? true : undefined))
	};
}
