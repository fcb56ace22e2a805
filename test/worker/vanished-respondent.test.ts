import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { admitMulti } from '../../worker/services/interviews';
import { createDatabase } from '../../worker/db/client';
import worker from '../../worker';
import { crash, linkObject, patchSession } from './helpers/durable';
import { join, respondent, setUp } from './helpers/interview';

const MINUTE = 60_000;

async function runCron() {
	const ctx = createExecutionContext();
	await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
	await waitOnExecutionContext(ctx);
}

describe('a respondent who vanished in a crash', () => {
	it('is charged up to their last activity, not to the deadline', async () => {
		const { owner, links } = await setUp({ kind: 'single', count: 1 }, { durationMinutes: 30 });
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		const stub = linkObject(links[0]!.id);
		await crash();
		// Ten minutes later: the respondent was last seen 3 minutes in, and nobody came back.
		await patchSession(stub, (state) => ({
			startedAt: state.startedAt - 10 * MINUTE,
			deadlineAt: state.deadlineAt - 10 * MINUTE,
			wrapUpAt: state.wrapUpAt - 10 * MINUTE,
			lastActivityAt: state.startedAt - 7 * MINUTE
		}));
		expect(await runDurableObjectAlarm(stub)).toBe(true);

		const row = await env.DB.prepare('select status, end_reason, used_ms, charged_tokens from interview where link_id = ?')
			.bind(links[0]!.id)
			.first<{ status: string; end_reason: string; used_ms: number; charged_tokens: number }>();
		expect(row).toMatchObject({ status: 'abandoned', end_reason: 'abandoned', charged_tokens: 3 });
		expect(row!.used_ms).toBe(3 * MINUTE);
		const balance = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
			.bind(owner.me.workspace.id)
			.first();
		expect(balance).toEqual({ available: Number(env.SIGNUP_TOKENS) - 3, reserved: 0 });
	});

	it('the overdue sweep also charges from the last activity when the alarm was lost', async () => {
		const { links } = await setUp({ kind: 'single', count: 1 }, { durationMinutes: 10 });
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		const stub = linkObject(links[0]!.id);
		await crash();
		await patchSession(stub, (state) => ({
			startedAt: state.startedAt - 30 * MINUTE,
			deadlineAt: state.deadlineAt - 30 * MINUTE,
			lastActivityAt: state.startedAt - 28 * MINUTE
		}));
		await env.DB.prepare('update interview set deadline_at = ? where link_id = ?')
			.bind(Date.now() - 20 * MINUTE, links[0]!.id)
			.run();
		await runCron();
		const row = await env.DB.prepare('select status, used_ms, charged_tokens from interview where link_id = ?').bind(links[0]!.id).first();
		expect(row).toMatchObject({ status: 'abandoned', used_ms: 2 * MINUTE, charged_tokens: 2 });
	});
});

describe('the overdue sweep', () => {
	it('ends interviews whose object never started them, releases their tokens, and pages through every one', async () => {
		const { owner, links } = await setUp({ kind: 'public', maxUses: 0 }, { durationMinutes: 1 });
		const workspaceId = owner.me.workspace.id;
		const db = createDatabase(env.DB);
		const count = 60;
		for (let index = 0; index < count; index += 1) {
			const admitted = await admitMulti(env, db, links[0]!.id, links[0]!.token, {
				email: respondent(`stuck${index}`),
				resumeToken: null,
				rejoinCode: null,
				language: null,
				screener: null
			});
			expect(admitted.ok).toBe(true);
		}
		const held = await env.DB.prepare('select reserved from token_balance where workspace_id = ?')
			.bind(workspaceId)
			.first<{ reserved: number }>();
		expect(held?.reserved).toBe(count);
		await env.DB.prepare('update interview set deadline_at = ? where link_id = ?')
			.bind(Date.now() - 11 * MINUTE, links[0]!.id)
			.run();

		await runCron();
		const statuses = await env.DB.prepare(
			'select status, end_reason, count(*) as n, sum(charged_tokens) as charged from interview where link_id = ? group by status, end_reason'
		)
			.bind(links[0]!.id)
			.all();
		expect(statuses.results).toEqual([{ status: 'abandoned', end_reason: 'not_started', n: count, charged: 0 }]);
		const balance = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?').bind(workspaceId).first();
		expect(balance).toEqual({ available: Number(env.SIGNUP_TOKENS), reserved: 0 });
		const records = await env.DB.prepare('select count(*) as n from record where link_id = ?').bind(links[0]!.id).first<{ n: number }>();
		expect(records?.n).toBe(0);
	});
});
