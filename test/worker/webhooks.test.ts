import { env } from 'cloudflare:workers';
import { describe, expect, inject, it } from 'vitest';
import type { Webhook, WebhookDelivery, WebhookWithSecret } from '../../worker/contracts/webhooks';
import { call, callJson, signUp, type TestUser } from './helpers/api';
import { addMember } from './helpers/workspace';
import { setUp } from './helpers/interview';
import { ANSWERS, completeInterview, runJobs } from './records-fixtures';

/**
 * Outbound webhooks end to end: the real API, the real JOBS queue and consumer, posting to a
 * loopback receiver (test/fakes/webhook-receiver.ts) that verifies each delivery with the
 * verifier printed in the README.
 */
const RECEIVER = inject('webhookReceiverUrl');

type Received = { eventId: string; signature: string; body: string; verified: boolean; tamperedVerified: boolean };
type EventBody = { id: string; type: string; created: number; workspaceId: string; data: Record<string, unknown> };

async function addHook(owner: TestUser, events: string[], script: { statuses?: number[]; redirect?: string } = {}) {
	const name = crypto.randomUUID();
	const created = await callJson<WebhookWithSecret>('/api/webhooks', {
		method: 'POST',
		json: { url: `${RECEIVER}/hooks/${name}`, events, description: 'CRM sync' },
		as: owner.as
	});
	expect(created.status).toBe(201);
	await fetch(`${RECEIVER}/__script/${name}`, {
		method: 'POST',
		body: JSON.stringify({ secret: created.body.secret, statuses: [], ...script })
	});
	return { name, webhook: created.body };
}

const received = async (name: string) => (await (await fetch(`${RECEIVER}/__received/${name}`)).json()) as Received[];

async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
	for (let attempt = 0; attempt < 300; attempt += 1) {
		const value = await probe();
		if (value) return value;
		await new Promise((resume) => setTimeout(resume, 50));
	}
	throw new Error(`timed out waiting for ${what}`);
}

const deliveries = async (owner: TestUser, webhookId: string) =>
	(await callJson<{ deliveries: WebhookDelivery[] }>(`/api/webhooks/${webhookId}/deliveries`, { as: owner.as })).body.deliveries;

/** Moves a pending delivery's next attempt into the past, as if its backoff had elapsed. */
async function backoffElapsed(deliveryId: string) {
	await env.DB.prepare('update webhook_delivery set next_attempt_at = ? where id = ?')
		.bind(Date.now() - 1000, deliveryId)
		.run();
}

describe('webhook endpoints', () => {
	it('an admin adds, lists, changes, rolls and deletes an endpoint; the secret is shown only on create and roll', async () => {
		const owner = await signUp('hooks');
		const { webhook } = await addHook(owner, ['interview.completed', 'interview.completed', 'report.ready']);
		expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
		expect(webhook.events).toEqual(['interview.completed', 'report.ready']);
		expect(webhook.enabled).toBe(true);

		const listed = await call('/api/webhooks', { as: owner.as });
		const listedText = await listed.text();
		expect(listed.status).toBe(200);
		expect(listedText).not.toContain(webhook.secret);
		expect((JSON.parse(listedText) as { webhooks: Webhook[] }).webhooks.map((row) => row.id)).toEqual([webhook.id]);

		const patched = await callJson<Webhook>(`/api/webhooks/${webhook.id}`, {
			method: 'PATCH',
			json: { events: ['link.expired'], enabled: false },
			as: owner.as
		});
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ events: ['link.expired'], enabled: false, disabledReason: null });
		expect(JSON.stringify(patched.body)).not.toContain(webhook.secret);

		const rolled = await callJson<WebhookWithSecret>(`/api/webhooks/${webhook.id}/roll-secret`, { method: 'POST', as: owner.as });
		expect(rolled.status).toBe(200);
		expect(rolled.body.secret).toMatch(/^whsec_/);
		expect(rolled.body.secret).not.toBe(webhook.secret);

		expect((await call(`/api/webhooks/${webhook.id}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		expect((await callJson<{ webhooks: Webhook[] }>('/api/webhooks', { as: owner.as })).body.webhooks).toEqual([]);
	});

	it('refuses private, metadata and non-https addresses at save, and saves nothing', async () => {
		const owner = await signUp('hooks');
		const refused = [
			'http://hooks.example.com/parley',
			'https://10.0.0.1/hook',
			'https://192.168.1.20/hook',
			'https://169.254.169.254/latest/meta-data/',
			'http://169.254.169.254/latest/meta-data/',
			'https://[::1]/hook',
			'https://[fd00:ec2::254]/hook',
			'https://metadata.google.internal/computeMetadata/v1/',
			'ftp://127.0.0.1/hook',
			'not a url'
		];
		for (const url of refused) {
			const response = await callJson<{ error: { code: string; message: string } }>('/api/webhooks', {
				method: 'POST',
				json: { url, events: ['interview.completed'] },
				as: owner.as
			});
			expect(response.status, url).toBe(400);
			expect(response.body.error.code, url).toBe('invalid_request');
		}
		const { webhook } = await addHook(owner, ['interview.completed']);
		const moved = await callJson<{ error: { code: string } }>(`/api/webhooks/${webhook.id}`, {
			method: 'PATCH',
			json: { url: 'https://169.254.169.254/' },
			as: owner.as
		});
		expect(moved.status).toBe(400);
		const rows = await env.DB.prepare('select url from webhook_endpoint where workspace_id = ?')
			.bind(owner.me.workspace.id)
			.all<{ url: string }>();
		expect(rows.results.map((row) => row.url)).toEqual([webhook.url]);
	});

	it('refuses bad input with 4xx and changes nothing', async () => {
		const owner = await signUp('hooks');
		const { webhook } = await addHook(owner, ['interview.completed']);
		const cases: [string, string, unknown][] = [
			['POST', '/api/webhooks', { url: `${RECEIVER}/hooks/x`, events: [] }],
			['POST', '/api/webhooks', { url: `${RECEIVER}/hooks/x`, events: ['interview.exploded'] }],
			['POST', '/api/webhooks', { url: `${RECEIVER}/hooks/x`, events: ['ping'] }],
			['POST', '/api/webhooks', { url: `${RECEIVER}/hooks/x`, events: ['record.ready'], secret: 'mine' }],
			['POST', '/api/webhooks', { url: 'x'.repeat(3000), events: ['record.ready'] }],
			['PATCH', `/api/webhooks/${webhook.id}`, {}],
			['PATCH', `/api/webhooks/${webhook.id}`, { enabled: 'yes' }],
			['PUT', '/api/webhook-settings', { balanceLowThreshold: -5 }]
		];
		for (const [method, path, json] of cases) {
			const response = await call(path, { method, json, as: owner.as });
			expect(response.status, `${method} ${path} ${JSON.stringify(json)}`).toBe(400);
		}
		const rows = await env.DB.prepare('select id, events, enabled from webhook_endpoint where workspace_id = ?')
			.bind(owner.me.workspace.id)
			.all<{ id: string; events: string; enabled: number }>();
		expect(rows.results).toEqual([{ id: webhook.id, events: '["interview.completed"]', enabled: 1 }]);
	});

	it('is for admins: members are refused, and other workspaces see nothing', async () => {
		const owner = await signUp('hooks');
		const { webhook } = await addHook(owner, ['interview.completed']);
		const member = await addMember(owner, 'member');
		expect((await call('/api/webhooks', { as: member.as })).status).toBe(403);
		expect(
			(await call('/api/webhooks', { method: 'POST', json: { url: `${RECEIVER}/hooks/m`, events: ['record.ready'] }, as: member.as }))
				.status
		).toBe(403);
		const admin = await addMember(owner, 'admin');
		expect((await callJson<{ webhooks: Webhook[] }>('/api/webhooks', { as: admin.as })).body.webhooks).toHaveLength(1);

		const stranger = await signUp('stranger');
		for (const [method, path] of [
			['PATCH', `/api/webhooks/${webhook.id}`],
			['DELETE', `/api/webhooks/${webhook.id}`],
			['POST', `/api/webhooks/${webhook.id}/roll-secret`],
			['POST', `/api/webhooks/${webhook.id}/test`],
			['GET', `/api/webhooks/${webhook.id}/deliveries`]
		] as const) {
			const response = await call(path, { method, ...(method === 'PATCH' ? { json: { enabled: false } } : {}), as: stranger.as });
			expect(response.status, `${method} ${path}`).toBe(404);
		}
		expect((await callJson<{ webhooks: Webhook[] }>('/api/webhooks', { as: owner.as })).body.webhooks[0]).toMatchObject({ enabled: true });
	});
});

describe('webhook deliveries', () => {
	it('posts interview.started and interview.completed, signed, within seconds of the interview ending, once per event', async () => {
		const setup = await setUp();
		const { name, webhook } = await addHook(setup.owner, ['interview.started', 'interview.completed', 'record.ready']);
		const recordId = await completeInterview(setup);

		const all = await eventually(async () => {
			const got = await received(name);
			const types = new Set(got.map((delivery) => (JSON.parse(delivery.body) as EventBody).type));
			return types.has('interview.completed') && types.has('record.ready') && types.has('interview.started') ? got : undefined;
		}, 'interview.completed at the receiver');
		for (const delivery of all) {
			expect(delivery.verified).toBe(true);
			expect(delivery.tamperedVerified).toBe(false);
			expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
			const body = JSON.parse(delivery.body) as EventBody;
			expect(body.id).toBe(delivery.eventId);
			expect(body.workspaceId).toBe(setup.owner.me.workspace.id);
			for (const answer of ANSWERS) expect(delivery.body).not.toContain(answer.slice(0, 30));
		}
		const completed = JSON.parse(all.find((delivery) => delivery.body.includes('"interview.completed"'))!.body) as EventBody;
		const ended = await env.DB.prepare('select id, end_reason from interview where link_id = ?')
			.bind(setup.links[0]!.id)
			.first<{ id: string; end_reason: string }>();
		expect(ended?.end_reason).toBeTruthy();
		expect(completed.data).toMatchObject({
			interviewId: ended!.id,
			recordId,
			linkId: setup.links[0]!.id,
			status: 'completed',
			endReason: ended!.end_reason
		});
		expect(completed.data.recordUrl).toBe(`${env.PUBLIC_BASE_URL}/api/records/${recordId}`);
		const record = await callJson(new URL(String(completed.data.recordUrl)).pathname, { as: setup.owner.as });
		expect(record.status).toBe(200);

		// The follow-up job runs again (the queue is at least once): no second event, no second post.
		const interviewId = String(completed.data.interviewId);
		await runJobs([{ type: 'interview.completed', workspaceId: setup.owner.me.workspace.id, projectId: setup.project.id, interviewId }]);
		const listed = await deliveries(setup.owner, webhook.id);
		expect(listed.filter((delivery) => delivery.eventType === 'interview.completed')).toHaveLength(1);
		const ids = (await received(name)).map((delivery) => delivery.eventId);
		expect(new Set(ids).size).toBe(ids.length);
		expect(listed.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1 && delivery.responseStatus === 200)).toBe(
			true
		);
	});

	it('retries after a 500 with backoff, with the same event id, until the receiver takes it', async () => {
		const owner = await signUp('hooks');
		const { name, webhook } = await addHook(owner, ['report.ready'], { statuses: [500, 503] });
		const ping = await callJson<WebhookDelivery>(`/api/webhooks/${webhook.id}/test`, { method: 'POST', as: owner.as });
		expect(ping.status).toBe(202);

		const first = await eventually(
			async () => (await deliveries(owner, webhook.id)).find((row) => row.attempts === 1 && row.responseStatus === 500),
			'the first attempt'
		);
		expect(first.status).toBe('pending');
		expect(Date.parse(first.nextAttemptAt!)).toBeGreaterThan(Date.parse(first.lastAttemptAt!) + 20_000);
		expect(first.error).toContain('500');
		const failing = (await callJson<{ webhooks: Webhook[] }>('/api/webhooks', { as: owner.as })).body.webhooks[0]!;
		expect(failing.failingSince).not.toBeNull();

		// An early copy of the message does nothing while the backoff runs.
		await runJobs([{ type: 'webhook.deliver', workspaceId: owner.me.workspace.id, deliveryId: first.id }]);
		expect(await received(name)).toHaveLength(1);

		await backoffElapsed(first.id);
		await runJobs([{ type: 'webhook.deliver', workspaceId: owner.me.workspace.id, deliveryId: first.id }]);
		const second = (await deliveries(owner, webhook.id))[0]!;
		expect(second).toMatchObject({ attempts: 2, responseStatus: 503, status: 'pending' });
		expect(Date.parse(second.nextAttemptAt!) - Date.parse(second.lastAttemptAt!)).toBeGreaterThan(
			Date.parse(first.nextAttemptAt!) - Date.parse(first.lastAttemptAt!)
		);

		await backoffElapsed(first.id);
		await runJobs([{ type: 'webhook.deliver', workspaceId: owner.me.workspace.id, deliveryId: first.id }]);
		expect((await deliveries(owner, webhook.id))[0]).toMatchObject({
			attempts: 3,
			responseStatus: 200,
			status: 'delivered',
			nextAttemptAt: null
		});
		const got = await received(name);
		expect(got).toHaveLength(3);
		expect(new Set(got.map((delivery) => delivery.eventId)).size).toBe(1);
		expect(got.every((delivery) => delivery.verified)).toBe(true);
		expect(JSON.parse(got[0]!.body)).toMatchObject({ type: 'ping', data: { webhookId: webhook.id } });
		expect((await callJson<{ webhooks: Webhook[] }>('/api/webhooks', { as: owner.as })).body.webhooks[0]!.failingSince).toBeNull();
	});

	it('does not retry a 4xx, and redelivers on request with the same event id', async () => {
		const owner = await signUp('hooks');
		const { name, webhook } = await addHook(owner, ['report.ready'], { statuses: [410] });
		await callJson(`/api/webhooks/${webhook.id}/test`, { method: 'POST', as: owner.as });
		const failed = await eventually(
			async () => (await deliveries(owner, webhook.id)).find((row) => row.status === 'failed'),
			'the failed delivery'
		);
		expect(failed).toMatchObject({ attempts: 1, responseStatus: 410, nextAttemptAt: null });

		const again = await callJson<WebhookDelivery>(`/api/webhooks/${webhook.id}/deliveries/${failed.id}/redeliver`, {
			method: 'POST',
			as: owner.as
		});
		expect(again.status).toBe(202);
		expect(again.body.id).not.toBe(failed.id);
		expect(again.body.eventId).toBe(failed.eventId);
		await eventually(
			async () => (await deliveries(owner, webhook.id)).find((row) => row.id === again.body.id && row.status === 'delivered'),
			'the redelivery'
		);
		const got = await received(name);
		expect(got.map((delivery) => delivery.eventId)).toEqual([failed.eventId, failed.eventId]);
		expect(got.every((delivery) => delivery.verified)).toBe(true);

		const unknown = await call(`/api/webhooks/${webhook.id}/deliveries/not-a-delivery/redeliver`, { method: 'POST', as: owner.as });
		expect(unknown.status).toBe(404);
	});

	it('does not follow redirects', async () => {
		const owner = await signUp('hooks');
		const target = crypto.randomUUID();
		const { webhook } = await addHook(owner, ['report.ready'], { redirect: `${RECEIVER}/hooks/${target}` });
		await callJson(`/api/webhooks/${webhook.id}/test`, { method: 'POST', as: owner.as });
		const failed = await eventually(
			async () => (await deliveries(owner, webhook.id)).find((row) => row.status === 'failed'),
			'the redirected delivery'
		);
		expect(failed).toMatchObject({ responseStatus: 302, error: 'Redirects are not followed.' });
		expect(await received(target)).toEqual([]);
	});

	it('disables an endpoint that has failed for three days and mails the admins once', async () => {
		const setup = await setUp();
		const admin = await addMember(setup.owner, 'admin');
		const member = await addMember(setup.owner, 'member');
		const { webhook } = await addHook(setup.owner, ['report.ready'], { statuses: [503, 503, 503] });
		await env.DB.prepare('update webhook_endpoint set failing_since = ? where id = ?')
			.bind(Date.now() - 3 * 24 * 3600_000 - 60_000, webhook.id)
			.run();
		await callJson(`/api/webhooks/${webhook.id}/test`, { method: 'POST', as: setup.owner.as });
		const off = await eventually(async () => {
			const [row] = (await callJson<{ webhooks: Webhook[] }>('/api/webhooks', { as: setup.owner.as })).body.webhooks;
			return row && !row.enabled ? row : undefined;
		}, 'the endpoint to be disabled');
		expect(off.disabledReason).toBe('failing');
		expect((await deliveries(setup.owner, webhook.id))[0]).toMatchObject({ status: 'failed', attempts: 1 });
		const mail = await env.DB.prepare(
			'select "to" from dev_outbox where subject = \'Parley disabled a webhook endpoint\' and instr(text, ?) > 0'
		)
			.bind(webhook.url)
			.all<{ to: string }>();
		expect(mail.results.map((row) => row.to).sort()).toEqual([setup.owner.email, admin.email].sort());
		expect(mail.results.map((row) => row.to)).not.toContain(member.email);

		// Nothing more is sent to it, and switching it on starts its three days afresh.
		expect((await call(`/api/webhooks/${webhook.id}/test`, { method: 'POST', as: setup.owner.as })).status).toBe(409);
		const on = await callJson<Webhook>(`/api/webhooks/${webhook.id}`, { method: 'PATCH', json: { enabled: true }, as: setup.owner.as });
		expect(on.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
	});

	it('sends balance.low once when the balance falls below the threshold, and again after it recovered', async () => {
		const owner = await signUp('hooks');
		const { name } = await addHook(owner, ['balance.low']);
		const available = owner.me.balance.available;
		const saved = await callJson('/api/webhook-settings', { method: 'PUT', json: { balanceLowThreshold: available + 10 }, as: owner.as });
		expect(saved).toMatchObject({ status: 200, body: { balanceLowThreshold: available + 10 } });
		const { checkLowBalance } = await import('../../worker/services/webhooks');
		expect(await checkLowBalance(env, owner.me.workspace.id)).toBe(true);
		expect(await checkLowBalance(env, owner.me.workspace.id)).toBe(false);
		const [low] = await eventually(async () => ((await received(name)).length > 0 ? received(name) : undefined), 'balance.low');
		expect(JSON.parse(low!.body)).toMatchObject({ type: 'balance.low', data: { available, threshold: available + 10 } });

		await callJson('/api/webhook-settings', { method: 'PUT', json: { balanceLowThreshold: 1 }, as: owner.as });
		expect(await checkLowBalance(env, owner.me.workspace.id)).toBe(false);
		await callJson('/api/webhook-settings', { method: 'PUT', json: { balanceLowThreshold: available + 5 }, as: owner.as });
		expect(await checkLowBalance(env, owner.me.workspace.id)).toBe(true);
		const both = await eventually(async () => {
			const got = await received(name);
			return got.length === 2 ? got : undefined;
		}, 'the second balance.low');
		expect(new Set(both.map((delivery) => delivery.eventId)).size).toBe(2);
	});
});
