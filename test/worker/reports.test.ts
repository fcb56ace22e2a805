import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordSummary } from '../../worker/contracts/records';
import type { ProjectReportContent, ReportDetail, ReportSummary, SingleReportContent } from '../../worker/contracts/reports';
import { createDatabase } from '../../worker/db/client';
import type { Principal } from '../../worker/lib/principal';
import { createProjectReport, createRecordReport } from '../../worker/services/reports';
import { call, callJson } from './helpers/api';
import { setUp } from './helpers/interview';
import { completeInterview, completedRecord, runJobs, settleReport, withVars } from './records-fixtures';

const FAKE_OPENAI = 'https://fake-openai.test/v1';
const openAiVars = {
	AI_PROVIDER: 'openai',
	OPENAI_API_KEY: 'sk-test-fake',
	OPENAI_API_BASE_URL: FAKE_OPENAI,
	PUBLIC_BASE_URL: env.PUBLIC_BASE_URL
};
const noQueue = { send: async () => undefined } as unknown as Queue;

function principalOf(user: { me: { user: { id: string }; workspace: { id: string } } }): Principal {
	return { userId: user.me.user.id, workspaceId: user.me.workspace.id, role: 'owner', method: 'session' };
}

/** Intercepts fetch to the fake OpenAI base URL only; every other request goes through. */
function fakeOpenAi(
	answer: (body: { messages: { content: string }[]; response_format: { json_schema: { strict: boolean; schema: unknown } } }) => unknown
) {
	const real = globalThis.fetch;
	const seen: unknown[] = [];
	const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		if (!url.startsWith(FAKE_OPENAI)) return real(input, init);
		expect(url).toBe(`${FAKE_OPENAI}/chat/completions`);
		expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer sk-test-fake');
		const body = JSON.parse(String(init?.body));
		seen.push(body);
		return Response.json({ choices: [{ message: { role: 'assistant', content: JSON.stringify(answer(body)) } }] });
	});
	return { spy, seen };
}

afterEach(() => vi.restoreAllMocks());

async function turnIds(recordId: string): Promise<{ id: string; role: string; text: string }[]> {
	const row = await env.DB.prepare('select transcript_key from record where id = ?').bind(recordId).first<{ transcript_key: string }>();
	return (await (await env.FILES.get(row!.transcript_key))!.json<{ turns: { id: string; role: string; text: string }[] }>()).turns;
}

describe('local extractive reports', () => {
	it('a single report groups answers by guide question, picks quotes and is deterministic', async () => {
		const { owner, recordId } = await completedRecord();
		const created = await callJson<ReportSummary>(`/api/records/${recordId}/reports`, { method: 'POST', as: owner.as });
		expect(created.status).toBe(202);
		expect(created.body).toMatchObject({ kind: 'single', status: 'queued', recordIds: [recordId], generator: 'local' });
		const ready = await settleReport(owner, created.body.id);
		expect(ready).toMatchObject({ status: 'ready', progress: 100, error: null });
		const document = ready.document!;
		expect(document.extractive).toBe(true);
		const content = document.content as SingleReportContent;
		expect(content.summary).toContain('local mode');
		expect(content.answers.map((question) => question.questionId)).toEqual(['q1', 'q2', 'q3']);
		expect(content.answers[0]!.answers[0]!.text).toContain('design team');
		expect(content.answers[1]!.answers[0]!.text).toContain('Figma');
		expect(content.answers[2]!.answers[0]!.text).toContain('first week');
		const turns = await turnIds(recordId);
		for (const quote of content.quotes) expect(turns.find((turn) => turn.id === quote.turnId)?.role).toBe('respondent');
		expect(content.quotes.length).toBeGreaterThan(0);
		expect(content.findings[0]!.goal).toBe('Learn how new users get started.');

		const again = await callJson<ReportSummary>(`/api/records/${recordId}/reports`, { method: 'POST', as: owner.as });
		const second = await settleReport(owner, again.body.id);
		expect(second.document!.content).toEqual(content);

		const markdown = await call(`/api/reports/${created.body.id}?format=md`, { as: owner.as });
		expect(markdown.headers.get('Content-Type')).toContain('text/markdown');
		const text = await markdown.text();
		expect(text).toContain('Extractive report made in local mode');
		expect(text).toContain(`/records/${recordId}#turn-`);
	});

	it('a project report finds themes across records, with counts and quotes linked to records', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 5 });
		const first = await completeInterview(setup);
		const second = await completeInterview(setup, [
			'I am a nurse on the night shift and the documentation for the ward was scattered everywhere.',
			'I use spreadsheets and the scheduling tool, plus Slack.',
			'The documentation was confusing and my first week felt overwhelming.'
		]);
		const listed = await callJson<{ records: RecordSummary[] }>(`/api/projects/${setup.project.id}/records`, { as: setup.owner.as });
		expect(listed.body.records.map((row) => row.id).sort()).toEqual([first, second].sort());
		const created = await callJson<ReportSummary>(`/api/projects/${setup.project.id}/reports`, {
			method: 'POST',
			json: {},
			as: setup.owner.as
		});
		expect(created.status).toBe(202);
		expect(created.body.recordIds.sort()).toEqual([first, second].sort());
		const ready = await settleReport(setup.owner, created.body.id);
		const content = ready.document!.content as ProjectReportContent;
		expect(content.kind).toBe('project');
		const documentation = content.themes.find((theme) => theme.title === 'documentation');
		expect(documentation).toMatchObject({ recordCount: 2 });
		expect(new Set(documentation!.quotes.map((quote) => quote.recordId))).toEqual(new Set([first, second]));
		expect(content.answers!.find((question) => question.questionId === 'q3')!.answers).toHaveLength(2);
		expect(content.followUpQuestions.length).toBeGreaterThan(0);

		const again = await callJson<ReportSummary>(`/api/projects/${setup.project.id}/reports`, {
			method: 'POST',
			json: { recordIds: [second, first] },
			as: setup.owner.as
		});
		expect((await settleReport(setup.owner, again.body.id)).document!.content).toEqual(content);
		const reports = await callJson<{ reports: ReportSummary[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(reports.body.reports.map((report) => report.id)).toEqual([again.body.id, created.body.id]);
	});

	it('refuses a project report with no ready records, or with unknown record ids', async () => {
		const setup = await setUp();
		const none = await callJson<{ error: { code: string } }>(`/api/projects/${setup.project.id}/reports`, {
			method: 'POST',
			json: {},
			as: setup.owner.as
		});
		expect(none.status).toBe(409);
		const unknown = await callJson(`/api/projects/${setup.project.id}/reports`, {
			method: 'POST',
			json: { recordIds: ['nope'] },
			as: setup.owner.as
		});
		expect(unknown.status).toBe(404);
	});

	it('queues a report automatically after an interview when the project asks for it', async () => {
		const setup = await setUp();
		expect((await callJson(`/api/projects/${setup.project.id}/report-settings`, { as: setup.owner.as })).body).toEqual({
			autoReport: false
		});
		const patched = await callJson(`/api/projects/${setup.project.id}/report-settings`, {
			method: 'PATCH',
			json: { autoReport: true },
			as: setup.owner.as
		});
		expect(patched.body).toEqual({ autoReport: true });
		const recordId = await completeInterview(setup);
		const interview = await env.DB.prepare('select interview_id from record where id = ?').bind(recordId).first<{ interview_id: string }>();
		const job = {
			type: 'interview.completed' as const,
			workspaceId: setup.owner.me.workspace.id,
			projectId: setup.project.id,
			interviewId: interview!.interview_id
		};
		await runJobs([job, job]);
		const reports = await callJson<{ reports: ReportSummary[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(reports.body.reports).toHaveLength(1);
		expect(reports.body.reports[0]).toMatchObject({ kind: 'single', recordIds: [recordId] });
	});
});

describe('reports through the provider LLM', () => {
	it('OpenAI: a strict JSON schema, validated output, quotes re-anchored to real turns', async () => {
		const { owner, recordId } = await completedRecord();
		const db = createDatabase(env.DB);
		const queued = await createRecordReport({ JOBS: noQueue, ...openAiVars }, db, principalOf(owner), recordId);
		expect(queued.generator).toBe('openai');
		const turns = await turnIds(recordId);
		const answer = turns.find((turn) => turn.role === 'respondent')!;
		const { seen } = fakeOpenAi(() => ({
			summary: 'A design lead who found onboarding confusing.',
			findings: [{ goal: 'Learn how new users get started.', findings: ['Documentation was scattered.'] }],
			answers: [
				{
					questionId: 'q1',
					question: 'What is your role?',
					answers: [
						{ recordId, turnId: answer.id, text: answer.text },
						{ recordId, turnId: 'made-up', text: 'x' }
					]
				}
			],
			quotes: [
				{ recordId, turnId: answer.id, text: answer.text },
				{ recordId: 'other', turnId: answer.id, text: 'invented' }
			],
			sentiment: { label: 'mixed', explanation: 'Welcoming team, confusing docs.' }
		}));
		await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(openAiVars));
		const body = seen[0] as {
			response_format: { type: string; json_schema: { strict: boolean; schema: { required: string[]; additionalProperties: boolean } } };
			messages: { content: string }[];
		};
		expect(body.response_format.type).toBe('json_schema');
		expect(body.response_format.json_schema.strict).toBe(true);
		expect(body.response_format.json_schema.schema).toMatchObject({
			additionalProperties: false,
			required: ['summary', 'findings', 'answers', 'quotes', 'sentiment']
		});
		expect(body.messages[1]!.content).toContain(`[${answer.id} @`);
		const ready = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body;
		expect(ready).toMatchObject({ status: 'ready', generator: 'openai', summary: 'A design lead who found onboarding confusing.' });
		const content = ready.document!.content as SingleReportContent;
		expect(ready.document!.extractive).toBe(false);
		expect(content.quotes).toEqual([{ recordId, turnId: answer.id, text: answer.text, atMs: expect.any(Number) }]);
		expect(content.answers[0]!.answers).toHaveLength(1);
	});

	it('OpenAI: malformed output ends as failed with a retry, never saved; the retry succeeds', async () => {
		const { owner, recordId } = await completedRecord();
		const queued = await createRecordReport({ JOBS: noQueue, ...openAiVars }, createDatabase(env.DB), principalOf(owner), recordId);
		fakeOpenAi(() => ({ summary: 42, themes: 'nope' }));
		await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(openAiVars));
		const failed = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body;
		expect(failed).toMatchObject({ status: 'failed', document: null, attempts: 1 });
		expect(failed.error).toContain('does not match');
		const stored = await env.DB.prepare('select content_key from report where id = ?')
			.bind(queued.id)
			.first<{ content_key: string | null }>();
		expect(stored?.content_key).toBeNull();
		expect(
			(await env.FILES.list({ prefix: `ws/${owner.me.workspace.id}/` })).objects.some((object) => object.key.includes('/reports/'))
		).toBe(false);

		vi.restoreAllMocks();
		fakeOpenAi(() => ({ summary: 'Fine now.', findings: [], answers: [], quotes: [], sentiment: { label: 'neutral', explanation: '' } }));
		const retried = await callJson<ReportSummary>(`/api/reports/${queued.id}/retry`, { method: 'POST', as: owner.as });
		expect(retried.status).toBe(202);
		expect(retried.body.status).toBe('queued');
		await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(openAiVars));
		const ready = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body;
		expect(ready).toMatchObject({ status: 'ready', attempts: 2, summary: 'Fine now.' });
		expect((await callJson(`/api/reports/${queued.id}/retry`, { method: 'POST', as: owner.as })).status).toBe(409);
	});

	it('OpenAI: an HTTP error from the provider ends as failed', async () => {
		const { owner, recordId } = await completedRecord();
		const queued = await createRecordReport({ JOBS: noQueue, ...openAiVars }, createDatabase(env.DB), principalOf(owner), recordId);
		vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('{"error":{}}', { status: 500 }));
		await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(openAiVars));
		expect((await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body).toMatchObject({
			status: 'failed',
			error: 'OpenAI answered 500.'
		});
	});

	it('Workers AI: a project report through the AI binding, and garbage from it fails', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 5 });
		const first = await completeInterview(setup);
		const second = await completeInterview(setup);
		const vars = { AI_PROVIDER: 'workers-ai', PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
		const db = createDatabase(env.DB);
		const queued = await createProjectReport(
			{ JOBS: noQueue, ...vars, OPENAI_API_KEY: '' },
			db,
			principalOf(setup.owner),
			setup.project.id
		);
		const turns = await turnIds(first);
		const quoted = turns.find((turn) => turn.role === 'respondent')!;
		const run = vi.spyOn(env.AI, 'run').mockResolvedValue({
			response: {
				summary: 'Two people.',
				themes: [
					{
						title: 'Docs',
						description: 'Scattered docs',
						recordCount: 7,
						quotes: [{ recordId: first, turnId: quoted.id, text: quoted.text }]
					}
				],
				findings: [],
				contradictions: [],
				outliers: [],
				followUpQuestions: ['Where did you look first?']
			}
		} as never);
		await runJobs([{ type: 'report.generate', workspaceId: setup.owner.me.workspace.id, reportId: queued.id }], withVars(vars));
		expect(run).toHaveBeenCalledWith(
			'@cf/meta/llama-3.3-70b-instruct-fp8-fast',
			expect.objectContaining({ response_format: expect.objectContaining({ type: 'json_schema' }) })
		);
		const ready = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: setup.owner.as })).body;
		expect(ready.status).toBe('ready');
		const content = ready.document!.content as ProjectReportContent;
		expect(content.themes[0]).toMatchObject({ recordCount: 2, quotes: [{ recordId: first, turnId: quoted.id }] });
		expect(ready.recordIds.sort()).toEqual([first, second].sort());

		run.mockResolvedValue({ response: 'this is not json' } as never);
		const garbage = await createProjectReport(
			{ JOBS: noQueue, ...vars, OPENAI_API_KEY: '' },
			db,
			principalOf(setup.owner),
			setup.project.id
		);
		await runJobs([{ type: 'report.generate', workspaceId: setup.owner.me.workspace.id, reportId: garbage.id }], withVars(vars));
		expect((await callJson<ReportDetail>(`/api/reports/${garbage.id}`, { as: setup.owner.as })).body).toMatchObject({
			status: 'failed',
			document: null
		});
	});
});
