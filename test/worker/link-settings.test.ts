import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../worker/contracts/links';
import { callJson } from './helpers/api';
import { join, respondent, setUp } from './helpers/interview';

type ErrorBody = { error: { code: string; message: string; details?: Record<string, number> } };
const SHARE = 10;

async function ledger(workspaceId: string) {
	const sums = await env.DB.prepare(
		'select coalesce(sum(available_delta), 0) as available, coalesce(sum(reserved_delta), 0) as reserved from ledger_entry where workspace_id = ?'
	)
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
	const balance = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
	expect(sums).toEqual(balance);
	return balance!;
}

const patch = (setup: Awaited<ReturnType<typeof setUp>>, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
	callJson<Link & ErrorBody>(`/api/links/${setup.links[0]!.id}`, { method: 'PATCH', json: body, headers, as: setup.owner.as });

describe('changing a link’s max uses moves its reservation in the same batch', () => {
	it('reserves more when raised, releases when lowered, never below the uses started', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 2 });
		const workspaceId = setup.owner.me.workspace.id;
		expect(await ledger(workspaceId)).toEqual({ available: 100, reserved: 20 });

		expect((await patch(setup, { maxUses: 5 })).body).toMatchObject({ maxUses: 5, reservedTokens: 50 });
		expect(await ledger(workspaceId)).toEqual({ available: 70, reserved: 50 });

		expect((await join(setup.links[0]!.token, { email: respondent() })).first.type).toBe('welcome');
		expect((await patch(setup, { maxUses: 2.5 })).status).toBe(400);
		expect((await patch(setup, { maxUses: 0 })).body).toMatchObject({ maxUses: 0 });
		// Unlimited: the running interview keeps its share; the four unused uses come back.
		expect(await ledger(workspaceId)).toEqual({ available: 110, reserved: SHARE });

		expect((await patch(setup, { maxUses: 3 })).body).toMatchObject({ maxUses: 3 });
		// Capped again: two uses left to cover, beside the running interview's share.
		expect(await ledger(workspaceId)).toEqual({ available: 90, reserved: 30 });
	});

	it('refuses a cap under the uses already started with 422, and a raise the balance cannot cover with 402 and the shortfall', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 2 });
		const workspaceId = setup.owner.me.workspace.id;
		await join(setup.links[0]!.token, { email: respondent('one') });
		await join(setup.links[0]!.token, { email: respondent('two') });
		const under = await patch(setup, { maxUses: 1 });
		expect(under.status).toBe(422);
		expect(under.body.error.message).toContain('at least 2 uses');

		const before = await ledger(workspaceId);
		const tooMany = await patch(setup, { maxUses: 20 });
		expect(tooMany.status).toBe(402);
		expect(tooMany.body.error).toMatchObject({ code: 'insufficient_tokens', details: { required: 180, available: 100, shortfall: 80 } });
		expect(await ledger(workspaceId)).toEqual(before);
		const link = await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as });
		expect(link.body.maxUses).toBe(2);
	});

	it('opens a used-up link again when its cap is raised', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 1 });
		const first = await join(setup.links[0]!.token, { email: respondent() });
		first.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await first.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		first.socket.send(JSON.stringify({ type: 'leave' }));
		await first.next('ended');
		expect((await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as })).body).toMatchObject({ status: 'completed' });
		expect((await patch(setup, { maxUses: 2 })).body).toMatchObject({ status: 'active', maxUses: 2 });
		expect((await join(setup.links[0]!.token, { email: respondent() })).first.type).toBe('welcome');
		await ledger(setup.owner.me.workspace.id);
	});

	it('is idempotent with an Idempotency-Key: a retried raise reserves once', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 2 });
		const headers = { 'Idempotency-Key': crypto.randomUUID() };
		for (let attempt = 0; attempt < 3; attempt += 1) expect((await patch(setup, { maxUses: 4 }, headers)).status).toBe(200);
		expect(await ledger(setup.owner.me.workspace.id)).toEqual({ available: 80, reserved: 40 });
	});
});

describe('changing a link’s expiry', () => {
	it('extends, shortens and removes it, and refuses a date in the past', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 2, expiresInDays: 7 });
		const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
		expect((await patch(setup, { expiresAt: later })).body.expiresAt).toBe(later);
		const sooner = new Date(Date.now() + 86_400_000).toISOString();
		expect((await patch(setup, { expiresAt: sooner })).body.expiresAt).toBe(sooner);
		expect((await patch(setup, { expiresAt: null })).body.expiresAt).toBeNull();
		const past = await patch(setup, { expiresAt: new Date(Date.now() - 1_000).toISOString() });
		expect(past.status).toBe(422);
	});

	it('lets a pending single-use link change its expiry, not one whose interview has started', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const later = new Date(Date.now() + 86_400_000).toISOString();
		expect((await patch(setup, { expiresAt: later })).status).toBe(200);
		expect((await patch(setup, { maxUses: 3 })).status).toBe(422);
		await join(setup.links[0]!.token, { email: respondent() });
		expect((await patch(setup, { expiresAt: null })).status).toBe(409);
	});
});
