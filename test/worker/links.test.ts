import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker';
import type { Link, PublicLink } from '../../worker/contracts/links';
import { call, callJson } from './helpers/api';
import { createInterviewer, join, respondent, setUp } from './helpers/interview';
import { createProject } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string; details?: Record<string, number> } };

async function balanceOf(workspaceId: string) {
	const row = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
	const sums = await env.DB.prepare(
		'select sum(available_delta) as a, sum(reserved_delta) as r, count(*) as n from ledger_entry where workspace_id = ?'
	)
		.bind(workspaceId)
		.first<{ a: number; r: number; n: number }>();
	expect({ available: sums!.a, reserved: sums!.r }).toEqual(row);
	return { ...row!, entries: sums!.n };
}

describe('creating links', () => {
	it('needs the research context first (422 context_required) and writes nothing', async () => {
		const setup = await setUp();
		const bare = await createProject(setup.owner, { name: 'No context yet' });
		const interviewer = await createInterviewer(setup.owner, bare.id);
		const before = await balanceOf(setup.owner.me.workspace.id);
		const refused = await callJson<ErrorBody>(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1 },
			as: setup.owner.as
		});
		expect(refused.status).toBe(422);
		expect(refused.body.error.code).toBe('context_required');
		expect(await balanceOf(setup.owner.me.workspace.id)).toEqual(before);
	});

	it('reserves count × duration × price for single links and maxUses × duration × price for capped ones', async () => {
		const setup = await setUp({ kind: 'single', count: 3, durationMinutes: 5 });
		const workspaceId = setup.owner.me.workspace.id;
		const start = Number(env.SIGNUP_TOKENS);
		expect(await balanceOf(workspaceId)).toMatchObject({ available: start - 15, reserved: 15 });
		const preview = await callJson<{ tokens: number; perInterview: number }>(`/api/interviewers/${setup.interviewer.id}/links/preview`, {
			method: 'POST',
			json: { kind: 'public', maxUses: 4, durationMinutes: 10 },
			as: setup.owner.as
		});
		expect(preview.body).toMatchObject({ tokens: 40, perInterview: 10 });
		expect((await balanceOf(workspaceId)).available).toBe(start - 15);
		await callJson(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'public', maxUses: 4, durationMinutes: 10 },
			as: setup.owner.as
		});
		expect(await balanceOf(workspaceId)).toMatchObject({ available: start - 55, reserved: 55 });
		await callJson(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'public', maxUses: 0 },
			as: setup.owner.as
		});
		expect(await balanceOf(workspaceId)).toMatchObject({ available: start - 55, reserved: 55 });
	});

	it('answers 402 with the shortfall when the balance is short, and writes nothing', async () => {
		const setup = await setUp();
		const workspaceId = setup.owner.me.workspace.id;
		const before = await balanceOf(workspaceId);
		const refused = await callJson<ErrorBody>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 20, durationMinutes: 60 },
			as: setup.owner.as
		});
		expect(refused.status).toBe(402);
		expect(refused.body.error.code).toBe('insufficient_tokens');
		expect(refused.body.error.details).toMatchObject({ required: 1200, available: before.available, shortfall: 1200 - before.available });
		expect(await balanceOf(workspaceId)).toEqual(before);
		const links = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links`, { as: setup.owner.as });
		expect(links.body.links).toHaveLength(1);
	});

	it('30 parallel creations against a balance that covers exactly K: K succeed, the rest get 402, the ledger adds up', async () => {
		const setup = await setUp({ kind: 'single', count: 1, durationMinutes: 10 });
		const workspaceId = setup.owner.me.workspace.id;
		const { available } = await balanceOf(workspaceId);
		const K = Math.floor(available / 10);
		const results = await Promise.all(
			Array.from({ length: 30 }, () =>
				call(`/api/interviewers/${setup.interviewer.id}/links`, {
					method: 'POST',
					json: { kind: 'single', count: 1, durationMinutes: 10 },
					as: setup.owner.as
				})
			)
		);
		const statuses = results.map((response) => response.status);
		expect(statuses.filter((status) => status === 201)).toHaveLength(K);
		expect(statuses.filter((status) => status === 402)).toHaveLength(30 - K);
		const after = await balanceOf(workspaceId);
		expect(after.available).toBe(available - K * 10);
		expect(after.available).toBeGreaterThanOrEqual(0);
		const count = await env.DB.prepare('select count(*) as n from link where interviewer_id = ?')
			.bind(setup.interviewer.id)
			.first<{ n: number }>();
		expect(count?.n).toBe(1 + K);
	});

	it('replays an Idempotency-Key without creating or reserving again', async () => {
		const setup = await setUp();
		const workspaceId = setup.owner.me.workspace.id;
		const body = { kind: 'single', count: 2 };
		const headers = { 'Idempotency-Key': crypto.randomUUID() };
		const first = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: body,
			headers,
			as: setup.owner.as
		});
		const before = await balanceOf(workspaceId);
		const again = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: body,
			headers,
			as: setup.owner.as
		});
		expect(again.status).toBe(201);
		expect(again.body.links.map((link) => link.id)).toEqual(first.body.links.map((link) => link.id));
		expect(await balanceOf(workspaceId)).toEqual(before);
	});

	describe('bad input is refused and changes nothing', () => {
		const cases: [string, unknown][] = [
			['an unknown kind', { kind: 'group' }],
			['a count of 0', { kind: 'single', count: 0 }],
			['a negative count', { kind: 'single', count: -3 }],
			['a fractional count', { kind: 'single', count: 1.5 }],
			['a count over 500', { kind: 'single', count: 501 }],
			['a huge count', { kind: 'single', count: 1e12 }],
			['a duration of 0', { kind: 'single', durationMinutes: 0 }],
			['a duration over 60', { kind: 'single', durationMinutes: 61 }],
			['an expiry in the past', { kind: 'single', expiresInDays: -1 }],
			['an expiry of 0 days', { kind: 'public', expiresInDays: 0 }],
			['too many names', { kind: 'private', names: Array.from({ length: 51 }, (_, index) => `n${index}`) }],
			['an empty name', { kind: 'private', names: ['Group A', ''] }],
			['duplicate names', { kind: 'private', names: ['Group A', 'group a'] }],
			['private links without names', { kind: 'private' }],
			['negative maxUses', { kind: 'public', maxUses: -1 }],
			['a single link with maxUses', { kind: 'single', maxUses: 3 }],
			['anonymous private links', { kind: 'private', names: ['A'], askEmail: 'off' }],
			['a bad language code', { kind: 'single', language: 'english!' }],
			['wrong types', { kind: 'single', count: '3' }]
		];
		for (const [label, body] of cases) {
			it(label, async () => {
				const setup = await setUp();
				const before = await balanceOf(setup.owner.me.workspace.id);
				const response = await callJson<ErrorBody>(`/api/interviewers/${setup.interviewer.id}/links`, {
					method: 'POST',
					json: body,
					as: setup.owner.as
				});
				expect(response.status).toBe(400);
				expect(response.body.error.code).toBe('invalid_request');
				expect(await balanceOf(setup.owner.me.workspace.id)).toEqual(before);
				const count = await env.DB.prepare('select count(*) as n from link where interviewer_id = ?')
					.bind(setup.interviewer.id)
					.first<{ n: number }>();
				expect(count?.n).toBe(1);
			});
		}
	});
});

describe('lifecycle and row actions', () => {
	it('single: pending → active → completed, with the actions each status allows', async () => {
		const setup = await setUp();
		const link = setup.links[0]!;
		expect(link).toMatchObject({
			status: 'pending',
			tab: 'active',
			actions: ['copy', 'open', 'rename', 'editContext', 'changeSettings', 'cancel', 'regenerate', 'delete']
		});
		const renamed = await callJson<Link>(`/api/links/${link.id}`, {
			method: 'PATCH',
			json: { name: 'Alice', context: 'Alice runs the Berlin office.' },
			as: setup.owner.as
		});
		expect(renamed.body).toMatchObject({ name: 'Alice', context: 'Alice runs the Berlin office.' });

		const joined = await join(link.token, { email: respondent() });
		const active = await callJson<Link>(`/api/links/${link.id}`, { as: setup.owner.as });
		expect(active.body).toMatchObject({ status: 'active', uses: 1, actions: ['copy', 'open', 'regenerate', 'delete'] });
		const cancel = await callJson<ErrorBody>(`/api/links/${link.id}/cancel`, { method: 'POST', as: setup.owner.as });
		expect(cancel.status).toBe(409);
		const rename = await callJson<ErrorBody>(`/api/links/${link.id}`, { method: 'PATCH', json: { name: 'Bob' }, as: setup.owner.as });
		expect(rename.status).toBe(409);

		joined.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');
		const done = await callJson<Link>(`/api/links/${link.id}`, { as: setup.owner.as });
		expect(done.body).toMatchObject({ status: 'completed', tab: 'completed', actions: ['delete'] });
		for (const action of ['cancel', 'regenerate']) {
			expect((await call(`/api/links/${link.id}/${action}`, { method: 'POST', as: setup.owner.as })).status).toBe(409);
		}
		const tabs = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links?tab=completed`, { as: setup.owner.as });
		expect(tabs.body.links.map((each) => each.id)).toEqual([link.id]);
	});

	it('cancel gives the whole reservation back; the link moves to Archived', async () => {
		const setup = await setUp({ kind: 'single', count: 1, durationMinutes: 20 });
		const before = await balanceOf(setup.owner.me.workspace.id);
		const cancelled = await callJson<Link>(`/api/links/${setup.links[0]!.id}/cancel`, { method: 'POST', as: setup.owner.as });
		expect(cancelled.body).toMatchObject({ status: 'cancelled', tab: 'archived', actions: ['delete'] });
		expect(await balanceOf(setup.owner.me.workspace.id)).toMatchObject({
			available: before.available + 20,
			reserved: before.reserved - 20
		});
		expect((await call(`/api/links/${setup.links[0]!.id}/cancel`, { method: 'POST', as: setup.owner.as })).status).toBe(409);
		expect((await balanceOf(setup.owner.me.workspace.id)).available).toBe(before.available + 20);
	});

	it('expiry is found at read time and by the cron sweep, and releases the reservation once', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3, durationMinutes: 10, expiresInDays: 2 });
		const workspaceId = setup.owner.me.workspace.id;
		const link = setup.links[0]!;
		const before = await balanceOf(workspaceId);
		await env.DB.prepare('update link set expires_at = ? where id = ?')
			.bind(Date.now() - 1000, link.id)
			.run();
		const read = await callJson<Link>(`/api/links/${link.id}`, { as: setup.owner.as });
		expect(read.body).toMatchObject({ status: 'expired', tab: 'archived' });
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
		await waitOnExecutionContext(ctx);
		expect(await balanceOf(workspaceId)).toMatchObject({ available: before.available + 30, reserved: before.reserved - 30 });
		await callJson(`/api/interviewers/${setup.interviewer.id}/links?tab=archived`, { as: setup.owner.as });
		expect((await balanceOf(workspaceId)).available).toBe(before.available + 30);
	});

	it('multi-use: disable keeps the reservation, delete releases what is unused', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3, durationMinutes: 10 });
		const workspaceId = setup.owner.me.workspace.id;
		const link = setup.links[0]!;
		const joined = await join(link.token, { email: respondent() });
		const before = await balanceOf(workspaceId);
		const disabled = await callJson<Link>(`/api/links/${link.id}`, { method: 'PATCH', json: { enabled: false }, as: setup.owner.as });
		expect(disabled.body.actions).toContain('enable');
		expect(await balanceOf(workspaceId)).toMatchObject({ available: before.available, reserved: before.reserved });
		expect((await call(`/api/links/${link.id}`, { method: 'DELETE', as: setup.owner.as })).status).toBe(204);
		expect(await balanceOf(workspaceId)).toMatchObject({ available: before.available + 20, reserved: before.reserved - 20 });
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');
		const settled = await balanceOf(workspaceId);
		expect(settled.reserved).toBe(before.reserved - 30);
		expect(settled.available).toBe(before.available + 20 + 9);
	});

	it('GET /api/public/links/:token says what onboarding needs, or one clear state, and nothing internal', async () => {
		const setup = await setUp({ kind: 'single', count: 1, topics: ['pricing'] });
		const link = setup.links[0]!;
		const open = await callJson<PublicLink>(`/api/public/links/${link.token}`);
		expect(open.body).toMatchObject({
			state: 'open',
			title: setup.interviewer.name,
			topics: ['pricing'],
			durationMinutes: 10,
			askEmail: true,
			mode: 'local'
		});
		const text = JSON.stringify(open.body);
		for (const secret of [setup.project.id, setup.project.name, 'Learn how new users', link.id, setup.owner.me.workspace.id])
			expect(text).not.toContain(secret);
		await call(`/api/links/${link.id}/cancel`, { method: 'POST', as: setup.owner.as });
		expect((await callJson<PublicLink>(`/api/public/links/${link.token}`)).body.state).toBe('cancelled');
		expect((await callJson<PublicLink>(`/api/public/links/not-a-real-token-at-all`)).body).toMatchObject({ state: 'unknown', title: null });
		expect((await callJson<PublicLink>(`/api/public/links/${'%ff'.repeat(10)}`)).status).toBe(200);
	});
});

describe('tenant isolation for interviewers and links', () => {
	it("answers 404 for another workspace's interviewer and link ids, and changes nothing", async () => {
		const victim = await setUp({ kind: 'public', maxUses: 2 });
		const attacker = await setUp();
		const link = victim.links[0]!;
		const attempts: [string, RequestInit & { json?: unknown }][] = [
			[`/api/projects/${victim.project.id}/interviewers`, {}],
			[`/api/projects/${victim.project.id}/interviewers`, { method: 'POST', json: { name: 'x' } }],
			[`/api/interviewers/${victim.interviewer.id}`, {}],
			[`/api/interviewers/${victim.interviewer.id}`, { method: 'PATCH', json: { status: 'offline' } }],
			[`/api/interviewers/${victim.interviewer.id}/links`, {}],
			[`/api/interviewers/${victim.interviewer.id}/links`, { method: 'POST', json: { kind: 'single' } }],
			[`/api/interviewers/${victim.interviewer.id}/links/preview`, { method: 'POST', json: { kind: 'single' } }],
			[`/api/links/${link.id}`, {}],
			[`/api/links/${link.id}`, { method: 'PATCH', json: { name: 'pwned' } }],
			[`/api/links/${link.id}/cancel`, { method: 'POST' }],
			[`/api/links/${link.id}/regenerate`, { method: 'POST' }],
			[`/api/links/${link.id}`, { method: 'DELETE' }]
		];
		const before = await callJson(`/api/links/${link.id}`, { as: victim.owner.as });
		for (const [path, init] of attempts) {
			const response = await callJson<ErrorBody>(path, { ...init, as: attacker.owner.as });
			expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
			expect(JSON.stringify(response.body)).not.toContain(link.token);
		}
		expect((await callJson(`/api/links/${link.id}`, { as: victim.owner.as })).body).toEqual(before.body);
		expect((await callJson<{ status: string }>(`/api/interviewers/${victim.interviewer.id}`, { as: victim.owner.as })).body.status).toBe(
			'live'
		);
	});
});
