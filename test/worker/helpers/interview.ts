import type { Project } from '../../../worker/contracts/api';
import type { z } from 'zod';
import type { CreatedLinks, Interviewer, JoinAnswer, Link } from '../../../worker/contracts/links';
import type { ServerMessage } from '../../../worker/contracts/protocol';
import { callJson, signUp, type TestUser } from './api';
import { openSocket, type OpenedSocket } from './socket';
import { createProject } from './workspace';

export const GUIDE = {
	sections: [
		{
			id: 's1',
			title: 'Background',
			questions: [
				{ id: 'q1', text: 'What is your role?', probes: ['How long have you been in it?'], required: true },
				{ id: 'q2', text: 'Which tools do you use every day?', probes: [], required: true }
			]
		},
		{ id: 's2', title: 'Onboarding', questions: [{ id: 'q3', text: 'How did your first week go?', probes: [], required: true }] }
	]
};

export type Setup = { owner: TestUser; project: Project; interviewer: Interviewer; links: Link[] };

export async function createInterviewer(owner: TestUser, projectId: string, input: Record<string, unknown> = {}): Promise<Interviewer> {
	const created = await callJson<Interviewer>(`/api/projects/${projectId}/interviewers`, {
		method: 'POST',
		json: { name: 'Onboarding interviewer', durationMinutes: 10, topics: ['your role', 'onboarding'], ...input },
		as: owner.as
	});
	if (created.status !== 201) throw new Error(`create interviewer failed: ${created.status} ${JSON.stringify(created.body)}`);
	return created.body;
}

export async function createLinks(owner: TestUser, interviewerId: string, input: Record<string, unknown>): Promise<CreatedLinks> {
	const created = await callJson<CreatedLinks>(`/api/interviewers/${interviewerId}/links`, { method: 'POST', json: input, as: owner.as });
	if (created.status !== 201) throw new Error(`create links failed: ${created.status} ${JSON.stringify(created.body)}`);
	return created.body;
}

/** A researcher with a project whose context is complete, one interviewer, and links of one kind. */
export async function setUp(
	links: Record<string, unknown> = { kind: 'single', count: 1 },
	interviewer: Record<string, unknown> = {}
): Promise<Setup> {
	const owner = await signUp('researcher');
	const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: GUIDE });
	const created = await createInterviewer(owner, project.id, interviewer);
	const { links: made } = await createLinks(owner, created.id, links);
	return { owner, project, interviewer: created, links: made };
}

export type Joined = OpenedSocket & { first: ServerMessage };

export type JoinHello = {
	email?: string;
	consent?: boolean;
	resumeToken?: string;
	language?: string;
	rejoinCode?: string;
	screener?: unknown;
};

/**
 * Joins as the respondent's page does: asks `POST /api/public/links/:token/join` where to connect,
 * opens that socket and sends hello; `first` is the welcome or the refusal. A join refused (or sent
 * to a mailed code) before any socket gives a closed stand-in whose `first` is that answer as the
 * socket would have said it, and whose `closed` carries the close code it would have closed with.
 */
export async function join(token: string, hello: JoinHello = {}): Promise<Joined> {
	const fields = { consent: true, ...hello };
	const answer = await callJson<JoinAnswerBody>(`/api/public/links/${token}/join`, { method: 'POST', json: fields });
	if (answer.status === 200 && 'url' in answer.body) {
		const opened = await openSocket(answer.body.url);
		opened.socket.send(JSON.stringify({ type: 'hello', protocol: 1, ...fields }));
		const first = await opened.next('welcome', 'error');
		return { ...opened, first };
	}
	if (answer.status === 200 && 'verify' in answer.body)
		return answeredWithoutSocket({ type: 'rejoin.verify', ...answer.body.verify }, 1000);
	if (!('refused' in answer.body)) throw new Error(`the join answered ${answer.status}`);
	const { code, message, closeCode } = answer.body.refused;
	return answeredWithoutSocket({ type: 'error', code, message }, closeCode ?? 1000);
}

/** The socket a join answers with, opened but sent nothing yet (a multi-use link's carries its ticket). */
export async function joinedSocket(token: string, hello: JoinHello = { email: respondent() }): Promise<OpenedSocket> {
	const answer = await callJson<{ url?: string }>(`/api/public/links/${token}/join`, { method: 'POST', json: { consent: true, ...hello } });
	if (!answer.body.url) throw new Error(`the join answered ${answer.status}: ${JSON.stringify(answer.body)}`);
	return openSocket(answer.body.url);
}

type JoinAnswerBody = z.infer<typeof JoinAnswer>;

function answeredWithoutSocket(first: ServerMessage, closeCode: number): Joined {
	const { 0: socket, 1: other } = new WebSocketPair();
	socket.accept();
	other.accept();
	other.close(1000, 'no socket: the join answered before one');
	const messages = [first];
	const found = <T>(find: (all: ServerMessage[]) => T | undefined) => {
		const value = find(messages);
		return value === undefined ? Promise.reject(new Error('the join answered without a socket')) : Promise.resolve(value);
	};
	return {
		socket,
		messages,
		binary: [],
		closed: Promise.resolve({ code: closeCode, reason: first.type === 'error' ? first.code : first.type }),
		next: (...types) => found((all) => all.find((message) => types.length === 0 || types.includes(message.type))),
		waitFor: (find) => found(find),
		first
	};
}

export const respondent = (label = 'respondent') => `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;

/** One 40 ms PCM16 frame: a 220 Hz tone (speech-like energy) or silence. */
export function pcmFrame(loud: boolean, samples = 960): ArrayBuffer {
	const frame = new Int16Array(samples);
	if (loud)
		for (let index = 0; index < samples; index += 1) frame[index] = Math.round(Math.sin((index / 24_000) * 2 * Math.PI * 220) * 12_000);
	return frame.buffer;
}

/**
 * Sends frames as a microphone would: the first second at once (a client's jitter buffer), then one
 * frame per 40 ms. The server drops audio that runs more than a couple of seconds ahead of the clock.
 */
export async function sendPaced(socket: WebSocket, frames: ArrayBuffer[]): Promise<void> {
	const burst = 25;
	frames.slice(0, burst).forEach((frame) => socket.send(frame));
	for (const frame of frames.slice(burst)) {
		await new Promise((resume) => setTimeout(resume, 40));
		socket.send(frame);
	}
}

/** 40 ms frames: `loud` of tone, then `quiet` of silence (an answer the local interviewer hears end). */
export const speech = (loud: number, quiet: number) => Array.from({ length: loud + quiet }, (_, index) => pcmFrame(index < loud));

/** Pings until the server reports less than `remainingMs` left: its clock has moved on since then. */
export async function serverClockPast(joined: OpenedSocket, remainingMs: number): Promise<void> {
	for (;;) {
		joined.socket.send(JSON.stringify({ type: 'ping' }));
		const state = await joined.next('state');
		if (state.type === 'state' && state.remainingMs < remainingMs) return;
	}
}
