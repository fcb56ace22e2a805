import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../worker';
import type { ReportSummary } from '../../worker/contracts/reports';
import type { WebhookWithSecret } from '../../worker/contracts/webhooks';
import { createDatabase } from '../../worker/db/client';
import type { Principal } from '../../worker/lib/principal';
import { createRecordReport } from '../../worker/services/reports';
import { call, callJson, type TestUser } from './helpers/api';
import { setUp } from './helpers/interview';
import { completedRecord, completeInterview, runJobs, settleReport, uploadText } from './records-fixtures';

/** Each event comes from where it happens: reports, uploads, link expiry and a link's last use. */
const RECEIVER = inject('webhookReceiverUrl');

type Received = { eventId: string; body: string; verified: boolean };
type EventBody = { id: string; type: string; data: Record<string, unknown> };

async function addHook(owner: TestUser, events: string[], script: { hang?: boolean } = {}) {
	const name = crypto.randomUUID();
	const created = await callJson<WebhookWithSecret>('/api/webhooks', {
		method: 'POST',
		json: { url: `${RECEIVER}/hooks/${name}`, events },
		as: owner.as
	});
	expect(created.status).toBe(201);
	await fetch(`${RECEIVER}/__script/${name}`, {
		method: 'POST',
		body: JSON.stringify({ secret: created.body.secret, statuses: [], ...script })
	});
	return name;
}

/** The verified events of one type the receiver got, once at least `count` have arrived. */
async function eventsOf(name: string, type: string, count = 1): Promise<EventBody[]> {
	for (let attempt = 0; attempt < 300; attempt += 1) {
		const got = (await (await fetch(`${RECEIVER}/__received/${name}`)).json()) as Received[];
		expect(got.every((delivery) => delivery.verified)).toBe(true);
		const matching = got.map((delivery) => JSON.parse(delivery.body) as EventBody).filter((body) => body.type === type);
		if (matching.length >= count) return matching;
		await new Promise((resume) => setTimeout(resume, 50));
	}
	throw new Error(`no ${type} event arrived`);
}

const principalOf = (user: TestUser): Principal => ({
	userId: user.me.user.id,
	workspaceId: user.me.workspace.id,
	role: 'owner',
	method: 'session'
});

describe('webhook events', () => {
	it('report.ready carries the report URL, never its content', async () => {
		const setup = await completedRecord();
		const name = await addHook(setup.owner, ['report.ready', 'report.failed']);
		const created = await callJson<ReportSummary>(`/api/records/${setup.recordId}/reports`, { method: 'POST', as: setup.owner.as });
		const report = await settleReport(setup.owner, created.body.id);
		expect(report.status).toBe('ready');
		const [ready] = await eventsOf(name, 'report.ready');
		expect(ready!.data).toMatchObject({
			reportId: report.id,
			kind: 'single',
			status: 'ready',
			reportUrl: `${env.PUBLIC_BASE_URL}/api/reports/${report.id}`
		});
		expect(JSON.stringify(ready)).not.toContain(report.summary?.slice(0, 40) ?? 'no summary');
		expect((await call(new URL(String(ready!.data.reportUrl)).pathname, { as: setup.owner.as })).status).toBe(200);
	});

	it('report.failed when a report cannot be generated', async () => {
		const setup = await completedRecord();
		const name = await addHook(setup.owner, ['report.failed']);
		const noQueue = { send: async () => undefined } as unknown as Queue;
		const queued = await createRecordReport({ ...env, JOBS: noQueue }, createDatabase(env.DB), principalOf(setup.owner), setup.recordId);
		expect((await call(`/api/records/${setup.recordId}`, { method: 'DELETE', as: setup.owner.as })).status).toBe(204);
		await runJobs([{ type: 'report.generate', workspaceId: setup.owner.me.workspace.id, reportId: queued.id }]);
		const [failed] = await eventsOf(name, 'report.failed');
		expect(failed!.data).toMatchObject({ reportId: queued.id, status: 'failed', error: 'The records of this report were deleted.' });
	});

	it('record.ready when an uploaded transcript is stored', async () => {
		const setup = await setUp();
		const name = await addHook(setup.owner, ['record.ready']);
		const record = await uploadText(setup.owner, setup.project.id, 'call.txt', 'Interviewer: How was it?\nRespondent: Fine, thanks.');
		const [ready] = await eventsOf(name, 'record.ready');
		expect(ready!.data).toMatchObject({
			recordId: record.id,
			source: 'upload',
			transcriptUrl: `${env.PUBLIC_BASE_URL}/api/records/${record.id}/transcript?format=json`
		});
		expect(JSON.stringify(ready)).not.toContain('Fine, thanks');
	});

	it('link.expired when the sweep expires a link', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3, durationMinutes: 10, expiresInDays: 2 });
		const name = await addHook(setup.owner, ['link.expired']);
		const link = setup.links[0]!;
		await env.DB.prepare('update link set expires_at = ? where id = ?')
			.bind(Date.now() - 1000, link.id)
			.run();
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
		await waitOnExecutionContext(ctx);
		const [expired] = await eventsOf(name, 'link.expired');
		expect(expired!.data).toMatchObject({ linkId: link.id, interviewerId: setup.interviewer.id, kind: 'public', status: 'expired' });
	});

	it('link.exhausted when a multi-use link is used up', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 1, durationMinutes: 10 });
		const name = await addHook(setup.owner, ['link.exhausted', 'interview.completed']);
		await completeInterview(setup);
		const [exhausted] = await eventsOf(name, 'link.exhausted');
		expect(exhausted!.data).toMatchObject({ linkId: setup.links[0]!.id, uses: 1, maxUses: 1 });
		await eventsOf(name, 'interview.completed');
	});

	it('the cron sweep sends a delivery whose queue message was lost', async () => {
		const setup = await setUp();
		const name = await addHook(setup.owner, ['record.ready']);
		const webhookId = (await callJson<{ webhooks: { id: string }[] }>('/api/webhooks', { as: setup.owner.as })).body.webhooks[0]!.id;
		await callJson(`/api/webhooks/${webhookId}/test`, { method: 'POST', as: setup.owner.as });
		const [ping] = await eventsOf(name, 'ping');
		await env.DB.prepare(
			`insert into webhook_delivery (id, workspace_id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
			 values (?, ?, ?, ?, 'pending', 0, ?, ?)`
		)
			.bind(`whd_lost_${crypto.randomUUID()}`, setup.owner.me.workspace.id, webhookId, ping!.id, Date.now() - 10 * 60_000, Date.now())
			.run();
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
		await waitOnExecutionContext(ctx);
		const both = await eventsOf(name, 'ping', 2);
		expect(both.map((body) => body.id)).toEqual([ping!.id, ping!.id]);
	});

	it('the cron sweep forgets settled deliveries and their events after 30 days, and keeps newer ones', async () => {
		const setup = await setUp();
		const name = await addHook(setup.owner, ['record.ready']);
		const webhookId = (await callJson<{ webhooks: { id: string }[] }>('/api/webhooks', { as: setup.owner.as })).body.webhooks[0]!.id;
		await callJson(`/api/webhooks/${webhookId}/test`, { method: 'POST', as: setup.owner.as });
		const [recent] = await eventsOf(name, 'ping');
		const old = `evt_old_${crypto.randomUUID()}`;
		const longAgo = Date.now() - 31 * 24 * 3600_000;
		await env.DB.batch([
			env.DB.prepare(`insert into webhook_event (id, workspace_id, type, body, created_at) values (?, ?, 'ping', '{}', ?)`).bind(
				old,
				setup.owner.me.workspace.id,
				longAgo
			),
			env.DB.prepare(
				`insert into webhook_delivery (id, workspace_id, endpoint_id, event_id, status, attempts, created_at) values (?, ?, ?, ?, 'delivered', 1, ?)`
			).bind(`whd_${old}`, setup.owner.me.workspace.id, webhookId, old, longAgo)
		]);
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
		await waitOnExecutionContext(ctx);
		const events = await env.DB.prepare('select id from webhook_event where workspace_id = ?')
			.bind(setup.owner.me.workspace.id)
			.all<{ id: string }>();
		expect(events.results.map((row) => row.id)).toEqual([recent!.id]);
		const listed = await callJson<{ deliveries: { eventId: string }[] }>(`/api/webhooks/${webhookId}/deliveries`, { as: setup.owner.as });
		expect(listed.body.deliveries.map((row) => row.eventId)).toEqual([recent!.id]);
	});

	it('lists deliveries by cursor: newest first, stable through equal times, every one exactly once', async () => {
		const setup = await setUp();
		await addHook(setup.owner, ['record.ready']);
		const webhookId = (await callJson<{ webhooks: { id: string }[] }>('/api/webhooks', { as: setup.owner.as })).body.webhooks[0]!.id;
		const workspaceId = setup.owner.me.workspace.id;
		const eventId = `evt_page_${crypto.randomUUID()}`;
		const base = Date.now() - 60_000;
		const times = [base, base + 1, base + 1, base + 1, base + 2, base + 3, base + 3];
		await env.DB.batch([
			env.DB.prepare(`insert into webhook_event (id, workspace_id, type, body, created_at) values (?, ?, 'ping', '{}', ?)`).bind(
				eventId,
				workspaceId,
				base
			),
			...times.map((at, index) =>
				env.DB.prepare(
					`insert into webhook_delivery (id, workspace_id, endpoint_id, event_id, status, attempts, created_at) values (?, ?, ?, ?, 'delivered', 1, ?)`
				).bind(`whd_page_${index}`, workspaceId, webhookId, eventId, at)
			)
		]);
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
			const page = await callJson<{ deliveries: { id: string; createdAt: string }[]; nextCursor: string | null }>(
				`/api/webhooks/${webhookId}/deliveries${query}`,
				{ as: setup.owner.as }
			);
			expect(page.status).toBe(200);
			expect(page.body.deliveries.length).toBeLessThanOrEqual(3);
			seen.push(...page.body.deliveries.map((row) => row.id));
			cursor = page.body.nextCursor;
			pages += 1;
		} while (cursor && pages < 10);
		expect(pages).toBe(3);
		expect(seen).toEqual(['whd_page_6', 'whd_page_5', 'whd_page_4', 'whd_page_3', 'whd_page_2', 'whd_page_1', 'whd_page_0']);

		for (const query of ['?limit=0', '?limit=201', '?limit=two', '?cursor=not-a-cursor', `?cursor=${btoa('12:')}`]) {
			const refused = await callJson<{ error: { code: string } }>(`/api/webhooks/${webhookId}/deliveries${query}`, { as: setup.owner.as });
			expect(refused.status, query).toBe(400);
			expect(refused.body.error.code, query).toBe('invalid_request');
		}
	});

	it('gives up on an attempt after 10 s without an answer and retries it later', async () => {
		const setup = await setUp();
		const name = await addHook(setup.owner, ['record.ready'], { hang: true });
		const webhookId = (await callJson<{ webhooks: { id: string }[] }>('/api/webhooks', { as: setup.owner.as })).body.webhooks[0]!.id;
		await callJson(`/api/webhooks/${webhookId}/test`, { method: 'POST', as: setup.owner.as });
		let delivery:
			{ status: string; attempts: number; error: string | null; responseStatus: number | null; nextAttemptAt: string | null } | undefined;
		for (let attempt = 0; attempt < 600 && !delivery?.error; attempt += 1) {
			await new Promise((resume) => setTimeout(resume, 50));
			delivery = (
				await callJson<{ deliveries: NonNullable<typeof delivery>[] }>(`/api/webhooks/${webhookId}/deliveries`, { as: setup.owner.as })
			).body.deliveries[0];
		}
		expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null, error: 'No answer within 10 s.' });
		expect(delivery!.nextAttemptAt).not.toBeNull();
		await eventsOf(name, 'ping');
	}, 60_000);
});
