import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SmokeProvider } from './settings.ts';
import { sleep } from './respondent.ts';

/** The researcher's side, through the app's HTTP API as the dashboard uses it: set up an interview, then read what it produced. */

const ROOT = resolve(import.meta.dirname, '../..');

export type Api = {
	get<T>(path: string): Promise<T>;
	send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T>;
	raw(path: string): Promise<Response>;
};

export async function signUp(appUrl: string): Promise<Api> {
	const json = { 'Content-Type': 'application/json', Origin: appUrl };
	const marker = crypto.randomUUID().slice(0, 8);
	const signup = await fetch(`${appUrl}/api/auth/sign-up/email`, {
		method: 'POST',
		headers: json,
		body: JSON.stringify({ name: 'Smoke test', email: `smoke-${marker}@example.com`, password: `smoke-${crypto.randomUUID()}` })
	});
	const cookie = signup.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((line) => line?.includes('session_token='));
	if (!cookie) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
	const headers = { ...json, Cookie: cookie };
	const read = async <T>(response: Response, path: string): Promise<T> => {
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	};
	return {
		get: async (path) => read(await fetch(`${appUrl}${path}`, { headers }), path),
		send: async (method, path, body) => read(await fetch(`${appUrl}${path}`, { method, headers, body: JSON.stringify(body) }), path),
		raw: (path) => fetch(`${appUrl}${path}`, { headers })
	};
}

const GUIDE = {
	sections: [
		{
			id: 's1',
			title: 'Using the app',
			questions: [
				{ id: 'q1', text: 'When do you use the app?', probes: ['Where are you then?'] },
				{ id: 'q2', text: 'What would you change about it?', probes: [] }
			]
		}
	]
};

/** What each provider is asked to use: OpenAI hears any language (auto); Workers AI's voice cascade is English only. */
export const INTERVIEWER: Record<SmokeProvider, { voice: string; language: string }> = {
	openai: { voice: 'marin', language: 'auto' },
	'workers-ai': { voice: 'asteria', language: 'en' }
};

export type SetUp = { workspaceId: string; projectId: string; token: string };

/** A project whose interviews get a report when they end, an interviewer for the provider, and one single-use link. */
export async function setUpInterview(api: Api, provider: SmokeProvider): Promise<SetUp> {
	const me = await api.get<{ workspace: { id: string } }>('/api/me');
	const project = await api.send<{ id: string }>('POST', '/api/projects', {
		name: `Smoke test ${new Date().toISOString().slice(0, 16)}`,
		researchGoals: 'Learn when and where people use the app.',
		interviewGuide: GUIDE
	});
	await api.send('PATCH', `/api/projects/${project.id}/report-settings`, { autoReport: true });
	const interviewer = await api.send<{ id: string }>('POST', `/api/projects/${project.id}/interviewers`, {
		name: 'Smoke test',
		durationMinutes: 3,
		patience: 'normal',
		...INTERVIEWER[provider]
	});
	const { links } = await api.send<{ links: Array<{ token: string }> }>('POST', `/api/interviewers/${interviewer.id}/links`, {
		kind: 'single',
		count: 1
	});
	return { workspaceId: me.workspace.id, projectId: project.id, token: links[0]!.token };
}

/** Polls until `read` gives a value, or gives up after `timeoutMs`. */
export async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(1_000);
	}
}

/** Seconds of PCM16 mono 24 kHz in a WAV file of `bytes` bytes (its 44-byte header aside). */
export const wavSeconds = (bytes: number) => Math.max(0, bytes - 44) / 48_000;

/**
 * The size of an object in the app's local R2, read with wrangler from the state `wrangler dev`
 * keeps: the interviewer's track has no API of its own (the record plays the respondent's).
 */
export function localObjectBytes(persistTo: string, key: string): number | null {
	const dir = mkdtempSync(join(tmpdir(), 'parley-smoke-'));
	try {
		const file = join(dir, 'object');
		const result = spawnSync(
			process.execPath,
			[
				join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
				'r2',
				'object',
				'get',
				`parley-files/${key}`,
				'--local',
				'--persist-to',
				persistTo,
				'--file',
				file
			],
			{ cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } }
		);
		return result.status === 0 ? readFileSync(file).byteLength : null;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
