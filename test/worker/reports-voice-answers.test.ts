import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RecordSummary } from '../../worker/contracts/records';
import type { ReportDetail, ReportSummary, SingleReportContent } from '../../worker/contracts/reports';
import { createDatabase } from '../../worker/db/client';
import type { Principal } from '../../worker/lib/principal';
import { createRecordReport } from '../../worker/services/reports';
import { createFakeLlama } from '../fakes/ai-llama-reports';
import { call, callJson } from './helpers/api';
import { join, respondent, sendPaced, setUp, speech, type Setup } from './helpers/interview';
import { runJobs, settleReport, withVars } from './records-fixtures';

/** A record with voice answers nobody transcribed (local mode) is reported on the answers that have words. */

const PLACEHOLDER = '(voice answer, not transcribed)';
const noQueue = { send: async () => undefined } as unknown as Queue;

afterEach(() => vi.restoreAllMocks());

function principalOf(user: Setup['owner']): Principal {
	return { userId: user.me.user.id, workspaceId: user.me.workspace.id, role: 'owner', method: 'session' };
}

type Turn = { type: string; id: string; role: string; transcribed?: boolean };

/** A local-mode interview: a voice answer to the first question, then (optionally) typed answers; returns the record and the voice turn. */
async function interviewWithVoice(setup: Setup, typed: string[]): Promise<{ recordId: string; voiceTurnId: string }> {
	const joined = await join(setup.links[0]!.token, { email: respondent() });
	await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
	await sendPaced(joined.socket, speech(30, 30));
	const voice = (await joined.waitFor((all) =>
		all.find((message) => message.type === 'turn' && message.role === 'respondent' && message.transcribed === false)
	)) as Turn;
	let interviewerTurns = joined.messages.filter((message) => message.type === 'turn' && message.role === 'interviewer').length;
	for (const answer of typed) {
		joined.socket.send(JSON.stringify({ type: 'text', content: answer }));
		interviewerTurns += 1;
		const wanted = interviewerTurns;
		await joined.waitFor((all) =>
			all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= wanted ? true : undefined
		);
	}
	joined.socket.send(JSON.stringify({ type: 'leave' }));
	await joined.next('ended');
	const row = await env.DB.prepare('select id from record where link_id = ?').bind(setup.links[0]!.id).first<{ id: string }>();
	return { recordId: row!.id, voiceTurnId: voice.id };
}

const TYPED = [
	'I lead the support team at a regional bank and I have done it for four years.',
	'Onboarding was confusing because the documentation was scattered across three wikis.'
];

describe('records with untranscribed voice answers', () => {
	it('a record with typed answers and a voice answer is Ready, reportable, offered to project reports, and its report shows the voice answer as such', async () => {
		const setup = await setUp();
		const { recordId, voiceTurnId } = await interviewWithVoice(setup, TYPED);
		const detail = await callJson<RecordSummary>(`/api/records/${recordId}`, { as: setup.owner.as });
		expect(detail.body.status).toBe('ready');
		const picker = await callJson<{ records: RecordSummary[] }>(`/api/projects/${setup.project.id}/records?status=ready`, {
			as: setup.owner.as
		});
		expect(picker.body.records.map((record) => record.id)).toEqual([recordId]);

		const queued = await callJson<ReportSummary>(`/api/records/${recordId}/reports`, { method: 'POST', as: setup.owner.as });
		expect(queued.status).toBe(202);
		const report = await settleReport(setup.owner, queued.body.id);
		expect(report.status).toBe('ready');
		const content = report.document!.content as SingleReportContent;
		expect(content.summary).toContain('Voice answers not transcribed: 1');
		const answers = content.answers.flatMap((question) => question.answers);
		expect(answers).toContainEqual({ recordId, turnId: voiceTurnId, text: PLACEHOLDER });
		expect(answers.some((answer) => answer.text.includes('Onboarding was confusing'))).toBe(true);
		expect(content.quotes.length).toBeGreaterThan(0);
		expect(content.quotes.some((quote) => quote.turnId === voiceTurnId)).toBe(false);
	});

	it('a record whose only answers are untranscribed voice stays Audio only: no report, not offered, no auto-report', async () => {
		const setup = await setUp();
		await callJson(`/api/projects/${setup.project.id}/report-settings`, {
			method: 'PATCH',
			json: { autoReport: true },
			as: setup.owner.as
		});
		const { recordId } = await interviewWithVoice(setup, []);
		const detail = await callJson<RecordSummary & { interviewId: string }>(`/api/records/${recordId}`, { as: setup.owner.as });
		expect(detail.body.status).toBe('untranscribed');
		const refused = await call(`/api/records/${recordId}/reports`, { method: 'POST', as: setup.owner.as });
		expect(refused.status).toBe(409);
		const picker = await callJson<{ records: RecordSummary[] }>(`/api/projects/${setup.project.id}/records?status=ready`, {
			as: setup.owner.as
		});
		expect(picker.body.records).toEqual([]);
		await runJobs([
			{
				type: 'interview.completed',
				workspaceId: setup.owner.me.workspace.id,
				projectId: setup.project.id,
				interviewId: detail.body.interviewId
			}
		]);
		const reports = await callJson<{ reports: ReportSummary[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(reports.body.reports).toEqual([]);
	});

	it('a mixed record gets its automatic report', async () => {
		const setup = await setUp();
		await callJson(`/api/projects/${setup.project.id}/report-settings`, {
			method: 'PATCH',
			json: { autoReport: true },
			as: setup.owner.as
		});
		const { recordId } = await interviewWithVoice(setup, TYPED.slice(0, 1));
		const interview = await env.DB.prepare('select interview_id from record where id = ?').bind(recordId).first<{ interview_id: string }>();
		await runJobs([
			{
				type: 'interview.completed',
				workspaceId: setup.owner.me.workspace.id,
				projectId: setup.project.id,
				interviewId: interview!.interview_id
			}
		]);
		const reports = await callJson<{ reports: ReportSummary[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(reports.body.reports).toHaveLength(1);
		expect(reports.body.reports[0]).toMatchObject({ kind: 'single', recordIds: [recordId] });
	});

	it('OpenAI reads the voice answer as "(voice answer, not transcribed)", never as words, and a quote of it is dropped', async () => {
		const setup = await setUp();
		const { recordId, voiceTurnId } = await interviewWithVoice(setup, TYPED);
		const vars = {
			AI_PROVIDER: 'openai',
			OPENAI_API_KEY: 'sk-test-fake',
			OPENAI_API_BASE_URL: 'https://fake-openai.test/v1',
			PUBLIC_BASE_URL: env.PUBLIC_BASE_URL
		};
		const queued = await createRecordReport({ JOBS: noQueue, ...vars }, createDatabase(env.DB), principalOf(setup.owner), recordId);
		const prompts: string[] = [];
		const real = globalThis.fetch;
		vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
			const url = input instanceof Request ? input.url : String(input);
			if (!url.startsWith(vars.OPENAI_API_BASE_URL)) return real(input, init);
			const body = JSON.parse(String(init?.body)) as { messages: { role: string; content: string }[] };
			prompts.push(body.messages.map((message) => message.content).join('\n'));
			const voice = { recordId, turnId: voiceTurnId, text: PLACEHOLDER };
			const report = {
				summary: 'A support lead.',
				findings: [{ goal: 'Onboarding', findings: ['Scattered documentation.'] }],
				answers: [{ questionId: 'q1', question: 'What is your role?', answers: [voice] }],
				quotes: [voice],
				sentiment: { label: 'neutral', explanation: 'Calm.' }
			};
			return Response.json({ choices: [{ message: { role: 'assistant', content: JSON.stringify(report) } }] });
		});
		await runJobs([{ type: 'report.generate', workspaceId: setup.owner.me.workspace.id, reportId: queued.id }], withVars(vars));
		expect(prompts).toHaveLength(1);
		expect(prompts[0]).toContain(`[${voiceTurnId} @ `);
		expect(prompts[0]).toMatch(new RegExp(`\\[${voiceTurnId} @ [^\\]]+\\] Respondent: \\(voice answer, not transcribed\\)\\n`));
		expect(prompts[0]).not.toContain('not transcribed in local mode');
		expect(prompts[0]).toContain('Onboarding was confusing');
		const report = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: setup.owner.as })).body;
		expect(report.status).toBe('ready');
		const content = report.document!.content as SingleReportContent;
		expect(content.quotes).toEqual([]);
		// The answers follow the interview's coverage: the voice answer is among the first question's, given as such.
		expect(content.answers[0]!.answers).toContainEqual({ recordId, turnId: voiceTurnId, text: PLACEHOLDER });
		expect(content.answers.flatMap((group) => group.answers).some((answer) => answer.text.includes('local mode'))).toBe(false);
	});

	it('Workers AI reads the voice answer the same way, in its parts', async () => {
		const setup = await setUp();
		const { recordId, voiceTurnId } = await interviewWithVoice(setup, TYPED);
		const vars = { AI_PROVIDER: 'workers-ai', PUBLIC_BASE_URL: env.PUBLIC_BASE_URL, OPENAI_API_KEY: '' };
		const queued = await createRecordReport({ JOBS: noQueue, ...vars }, createDatabase(env.DB), principalOf(setup.owner), recordId);
		const fake = createFakeLlama();
		vi.spyOn(env.AI, 'run').mockImplementation(fake.run as never);
		await runJobs([{ type: 'report.generate', workspaceId: setup.owner.me.workspace.id, reportId: queued.id }], withVars(vars));
		const report = (await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: setup.owner.as })).body;
		expect(report.status).toBe('ready');
		expect(fake.calls.length).toBeGreaterThan(0);
		const prompt = fake.calls.map((call) => call.prompt).join('\n');
		expect(prompt).toMatch(new RegExp(`\\[${voiceTurnId} @ [^\\]]+\\] Respondent: \\(voice answer, not transcribed\\)\\n`));
		expect(prompt).not.toContain('not transcribed in local mode');
		// The fake quotes the first respondent turn it is shown, which is the voice answer: no words, so no quote.
		const content = report.document!.content as SingleReportContent;
		expect(content.quotes.some((quote) => quote.turnId === voiceTurnId)).toBe(false);
	});
});
