import { env } from 'cloudflare:workers';
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import worker from '../../worker';
import type { Job } from '../../worker/contracts/jobs';
import type { RecordDetail } from '../../worker/contracts/records';
import type { ReportDetail } from '../../worker/contracts/reports';
import { call, callJson, type TestUser } from './helpers/api';
import { join, pcmFrame, respondent, setUp, type Setup } from './helpers/interview';

/** Shared steps of the records, uploads and reports tests: a completed interview, uploads, running jobs. */

export const ANSWERS = [
	'I lead the design team for our onboarding flow and I have been doing it for about three years now.',
	'Every day I use Figma for design work, Slack for messages and Linear for planning the roadmap.',
	'My first week was confusing because the documentation was scattered, but the team was really welcoming.'
];

/** Completes an interview on the setup's first link with typed answers (and some voice), returning its record id. */
export async function completeInterview(
	setup: Setup,
	answers = ANSWERS,
	options: { voice?: boolean; email?: string; screener?: unknown } = {}
): Promise<string> {
	const link = setup.links[0]!;
	const joined = await join(link.token, { email: options.email ?? respondent(), screener: options.screener });
	await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
	let interviewerTurns = 1;
	for (const answer of answers) {
		joined.socket.send(JSON.stringify({ type: 'text', content: answer }));
		interviewerTurns += 1;
		const wanted = interviewerTurns;
		await joined.waitFor((all) =>
			all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= wanted ? true : undefined
		);
	}
	if (options.voice) for (let index = 0; index < 40; index += 1) joined.socket.send(pcmFrame(index < 20));
	joined.socket.send(JSON.stringify({ type: 'leave' }));
	await joined.next('ended');
	const row = await env.DB.prepare('select id from record where link_id = ? order by created_at desc')
		.bind(link.id)
		.first<{ id: string }>();
	if (!row) throw new Error('the completed interview has no record');
	return row.id;
}

export async function completedRecord(
	links: Record<string, unknown> = { kind: 'single', count: 1 }
): Promise<Setup & { recordId: string }> {
	const setup = await setUp(links);
	return { ...setup, recordId: await completeInterview(setup) };
}

/** Posts a multipart upload as the dashboard does. */
export async function upload(
	user: TestUser,
	projectId: string,
	name: string,
	content: string | Uint8Array<ArrayBuffer>,
	extra: Record<string, string> = {}
): Promise<Response> {
	const form = new FormData();
	form.append('file', new File([content], name));
	for (const [key, value] of Object.entries(extra)) form.append(key, value);
	return call(`/api/projects/${projectId}/records`, { method: 'POST', body: form, as: user.as });
}

export async function uploadText(user: TestUser, projectId: string, name: string, text: string): Promise<RecordDetail> {
	const response = await upload(user, projectId, name, text);
	if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
	return (await response.json()) as RecordDetail;
}

/** Runs jobs through the real consumer, as the queue would. */
export async function runJobs(jobs: Job[], jobEnv: Env = env): Promise<string[]> {
	const batch = createMessageBatch(
		'parley-jobs',
		jobs.map((body, index) => ({ id: `job-${index}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body }))
	);
	const ctx = createExecutionContext();
	await worker.queue(batch, jobEnv, ctx);
	const result = await getQueueResult(batch, ctx);
	return result.explicitAcks;
}

/** Runs the report job and waits until the report is ready or failed (the local queue may have picked it up already). */
export async function settleReport(user: TestUser, reportId: string): Promise<ReportDetail> {
	await runJobs([{ type: 'report.generate', workspaceId: user.me.workspace.id, reportId }]);
	for (let attempt = 0; attempt < 100; attempt += 1) {
		const read = await callJson<ReportDetail>(`/api/reports/${reportId}`, { as: user.as });
		if (read.body.status === 'ready' || read.body.status === 'failed') return read.body;
		await new Promise((resume) => setTimeout(resume, 50));
	}
	throw new Error(`report ${reportId} never settled`);
}

export async function r2Keys(prefix: string): Promise<string[]> {
	return (await env.FILES.list({ prefix })).objects.map((object) => object.key);
}

/** The test env with some vars replaced (the provider, a fake OpenAI), bindings untouched. */
export function withVars(vars: Record<string, string>): Env {
	return new Proxy(env, { get: (target, key) => (typeof key === 'string' && key in vars ? vars[key] : Reflect.get(target, key)) });
}
