import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { ReportDetail, SingleReportContent } from '../../worker/contracts/reports';
import { createDatabase } from '../../worker/db/client';
import type { Principal } from '../../worker/lib/principal';
import { createRecordReport } from '../../worker/services/reports';
import type { ChatRequest } from '../fakes/openai-rest-requests';
import { callJson, signUp, type TestUser } from './helpers/api';
import { createProject } from './helpers/workspace';
import { runJobs, uploadText, withVars } from './records-fixtures';

/** Reports through the openai SDK over real HTTP, against the loopback fake of OpenAI's REST API. */

const REST_URL = inject('openaiRestUrl');
const REST_KEY = inject('openaiRestKey');
const CONTROL = REST_URL.replace(/\/v1$/, '');
const noQueue = { send: async () => undefined } as unknown as Queue;

function principalOf(user: TestUser): Principal {
	return { userId: user.me.user.id, workspaceId: user.me.workspace.id, role: 'owner', method: 'session' };
}

/** A report on an uploaded transcript, generated with a key of its own so the fake's records and failures are this test's. */
async function reportOn(transcript: string, before?: (key: string) => Promise<void>) {
	const key = `${REST_KEY}-${crypto.randomUUID().slice(0, 8)}`;
	const vars = { AI_PROVIDER: 'openai', OPENAI_API_KEY: key, OPENAI_API_BASE_URL: REST_URL, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
	const owner = await signUp('sdk-report');
	const project = await createProject(owner);
	const record = await uploadText(owner, project.id, 'call.txt', transcript);
	const queued = await createRecordReport({ JOBS: noQueue, ...vars }, createDatabase(env.DB), principalOf(owner), record.id);
	await before?.(key);
	await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(vars));
	const chats = ((await (await fetch(`${CONTROL}/__chats`)).json()) as ChatRequest[]).filter((chat) => chat.key === key);
	return { report: (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body, chats, recordId: record.id };
}

const hasKey = (node: unknown, name: string): boolean =>
	Boolean(node) && typeof node === 'object' && Object.entries(node as object).some(([key, value]) => key === name || hasKey(value, name));

describe('reports through the openai SDK', () => {
	it('send a strict schema made from the zod type (without length keywords) and keep the parsed report', async () => {
		const { report, chats, recordId } = await reportOn('Interviewer: What is your role?\nRespondent: I run a small bakery.\n');
		expect(report).toMatchObject({ status: 'ready', generator: 'openai', summary: 'Written by the fake through the SDK.' });
		expect(chats).toHaveLength(1);
		expect(chats[0]!.model).toBe('gpt-4.1-mini');
		expect(chats[0]!.userAgent).toMatch(/^OpenAI\/JS /);
		expect(chats[0]!.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
		expect(chats[0]!.responseFormat.json_schema.schema).toMatchObject({
			additionalProperties: false,
			required: ['summary', 'findings', 'answers', 'quotes', 'sentiment']
		});
		expect(hasKey(chats[0]!.responseFormat.json_schema.schema, 'maxLength')).toBe(false);
		expect((report.document!.content as SingleReportContent).quotes).toEqual([
			{ recordId, turnId: 't2', text: 'I run a small bakery.', atMs: expect.any(Number) }
		]);
	});

	it('retry a rate limit as the SDK does, then succeed', async () => {
		const { report, chats } = await reportOn('Respondent: I run a small bakery.\n', async (key) => {
			await fetch(`${CONTROL}/__fail?key=${encodeURIComponent(key)}&status=429&times=2`, { method: 'POST' });
		});
		expect(report.status).toBe('ready');
		expect(chats).toHaveLength(1);
	});

	it('word a refusal and a persistent error as before', async () => {
		const refused = await reportOn('Respondent: REFUSE to answer.\n');
		expect(refused.report).toMatchObject({ status: 'failed', error: 'The model declined to write this report.' });
		const failing = await reportOn('Respondent: fine.\n', async (key) => {
			await fetch(`${CONTROL}/__fail?key=${encodeURIComponent(key)}&status=503&times=5`, { method: 'POST' });
		});
		expect(failing.report).toMatchObject({ status: 'failed', error: 'OpenAI answered 503.' });
	});
});
