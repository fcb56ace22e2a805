import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerEntry, LedgerPage, PackageList } from '../../worker/contracts/billing';
import { devTopUp, devTopUpAvailable } from '../../worker/services/billing';
import { installFakeStripe, type FakeStripe } from '../fakes/stripe';
import { balanceOf, callWith, db, snapshot, STRIPE_KEY, withStripe, type Balance } from './billing-helpers';
import { call, callJson, signUp } from './helpers/api';
import { addMember } from './helpers/workspace';

let stripe: FakeStripe | null = null;
afterEach(() => {
	stripe?.restore();
	stripe = null;
});

describe('balance, ledger and packages', () => {
	it('a new workspace shows its free allowance as balance and as a grant in the ledger', async () => {
		const owner = await signUp('billing-owner');
		expect(await balanceOf(owner)).toEqual({ available: 120, reserved: 0, usedThisMonth: 0 });
		const ledger = await callJson<LedgerPage>('/api/billing/ledger', { as: owner.as });
		expect(ledger.status).toBe(200);
		expect(ledger.body.entries).toMatchObject([{ kind: 'grant', availableDelta: 120, reservedDelta: 0, reference: 'signup' }]);
		expect(ledger.body.nextCursor).toBeNull();
	});

	it('needs a signed-in user', async () => {
		for (const path of ['/api/billing/balance', '/api/billing/ledger']) {
			const { status, body } = await callJson(path);
			expect(status).toBe(401);
			expect(body).toMatchObject({ error: { code: 'unauthenticated' } });
		}
	});

	it('exports the ledger as CSV with a header row', async () => {
		const owner = await signUp('csv');
		await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'starter' }, as: owner.as });
		const response = await call('/api/billing/ledger?format=csv', { as: owner.as });
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="parley-ledger-\d{4}-\d{2}-\d{2}\.csv"$/);
		const lines = (await response.text()).trimEnd().split('\r\n');
		expect(lines[0]).toBe('id,created_at,kind,available_delta,reserved_delta,reference,note,actor_id');
		expect(lines).toHaveLength(3);
		expect(lines[1]).toContain(',grant,500,0,dev-top-up:');
		expect(lines[1]).toContain('"Dev top-up, no payment: Starter package (500 tokens)"');
	});

	it('filters the ledger by kind and pages it; refuses bad filters with 400', async () => {
		const owner = await signUp('ledger-filter');
		for (let index = 0; index < 3; index++) {
			await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'starter' }, as: owner.as });
		}
		const first = await callJson<LedgerPage>('/api/billing/ledger?kind=grant&limit=2', { as: owner.as });
		expect(first.body.entries).toHaveLength(2);
		const second = await callJson<LedgerPage>(`/api/billing/ledger?kind=grant&limit=2&cursor=${first.body.nextCursor}`, { as: owner.as });
		expect(second.body.entries).toHaveLength(2);
		expect(second.body.nextCursor).toBeNull();
		expect((await callJson<LedgerPage>('/api/billing/ledger?kind=charge,refund', { as: owner.as })).body.entries).toHaveLength(0);
		for (const query of [
			'kind=bonus',
			'limit=0',
			'limit=500',
			'from=yesterday',
			'from=2026-02-01&to=2026-01-01',
			'cursor=forged',
			'format=xml'
		]) {
			const { status, body } = await callJson(`/api/billing/ledger?${query}`, { as: owner.as });
			expect(status, query).toBe(400);
			expect(body).toMatchObject({ error: { code: 'invalid_request' } });
		}
	});

	it('lists the packages and says how they can be bought here', async () => {
		const { status, body } = await callJson<PackageList>('/api/billing/packages');
		expect(status).toBe(200);
		expect(body.packages.map((pkg) => [pkg.id, pkg.tokens, pkg.priceCents])).toEqual([
			['starter', 500, 2500],
			['team', 2500, 10000],
			['scale', 10000, 35000]
		]);
		expect(body).toMatchObject({ tokensPerMinute: 1, checkout: 'dev' });
		expect((await callWith(withStripe, '/api/billing/packages')).body).toMatchObject({ checkout: 'stripe' });
	});
	it('describes every billing route in the OpenAPI document', async () => {
		const { body } = await callJson<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
		for (const [path, method] of [
			['/api/billing/balance', 'get'],
			['/api/billing/ledger', 'get'],
			['/api/billing/packages', 'get'],
			['/api/billing/checkout', 'post'],
			['/api/billing/dev-top-up', 'post'],
			['/api/billing/webhook', 'post']
		] as const) {
			expect(body.paths[path], path).toHaveProperty(method);
		}
	});
});

describe('dev top-up', () => {
	it('credits a package to an owner as a grant labelled as a dev top-up', async () => {
		const owner = await signUp('dev-owner');
		const { status, body } = await callJson<{ entry: LedgerEntry; balance: Balance }>('/api/billing/dev-top-up', {
			method: 'POST',
			json: { packageId: 'team' },
			as: owner.as
		});
		expect(status).toBe(200);
		expect(body.entry).toMatchObject({ kind: 'grant', availableDelta: 2500, note: 'Dev top-up, no payment: Team package (2500 tokens)' });
		expect(body.balance).toEqual({ available: 2620, reserved: 0, usedThisMonth: 0 });
	});

	it('is for owners only, only without Stripe, and only on a local deployment; refusals change nothing', async () => {
		const owner = await signUp('dev-guard');
		const admin = await addMember(owner, 'admin');
		const member = await addMember(owner, 'member');
		const before = await snapshot(owner.me.workspace.id);
		const topUp = { method: 'POST', json: { packageId: 'starter' } };
		expect((await callJson('/api/billing/dev-top-up', { ...topUp, as: admin.as })).status).toBe(403);
		expect((await callJson('/api/billing/dev-top-up', { ...topUp, as: member.as })).status).toBe(403);
		expect((await callWith(withStripe, '/api/billing/dev-top-up', { ...topUp, as: owner.as })).status).toBe(403);
		// A deployment on a public address never hands out free tokens, Stripe key or not.
		const remote = { STRIPE_SECRET_KEY: '', PUBLIC_BASE_URL: 'https://parley.example.com' };
		expect(devTopUpAvailable(remote, 'http://127.0.0.1:8787/api/billing/packages')).toBe(false);
		const refused = await devTopUp(db, remote, {
			workspaceId: owner.me.workspace.id,
			actorId: owner.me.user.id,
			packageId: 'starter'
		}).catch((e) => e);
		expect(refused).toMatchObject({ code: 'forbidden' });
		const unknown = await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'mega' }, as: owner.as });
		expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
		expect((await callJson('/api/billing/dev-top-up', { method: 'POST', json: {}, as: owner.as })).status).toBe(400);
		expect(await snapshot(owner.me.workspace.id)).toEqual(before);
	});
});

describe('Idempotency-Key', () => {
	it('a replay returns the first response and moves nothing', async () => {
		const owner = await signUp('idem-replay');
		const request = { method: 'POST', json: { packageId: 'starter' }, headers: { 'Idempotency-Key': 'top-up-1' }, as: owner.as };
		const first = await call('/api/billing/dev-top-up', request);
		const firstBody = await first.text();
		const afterFirst = await snapshot(owner.me.workspace.id);
		const second = await call('/api/billing/dev-top-up', request);
		expect(second.status).toBe(first.status);
		expect(await second.text()).toBe(firstBody);
		expect(second.headers.get('Idempotent-Replayed')).toBe('true');
		expect(first.headers.get('Idempotent-Replayed')).toBeNull();
		expect(await snapshot(owner.me.workspace.id)).toEqual(afterFirst);
		expect(afterFirst.balance.available).toBe(620);
	});

	it('the same key with a different body is refused with 422, and changes nothing', async () => {
		const owner = await signUp('idem-reuse');
		const headers = { 'Idempotency-Key': 'top-up-2' };
		await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'starter' }, headers, as: owner.as });
		const before = await snapshot(owner.me.workspace.id);
		const reused = await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'scale' }, headers, as: owner.as });
		expect(reused).toMatchObject({
			status: 422,
			body: { error: { code: 'unprocessable', details: { reason: 'idempotency_key_reused' } } }
		});
		expect(await snapshot(owner.me.workspace.id)).toEqual(before);
	});

	it('keys belong to a workspace: the same key elsewhere is a new request', async () => {
		const one = await signUp('idem-one');
		const two = await signUp('idem-two');
		const headers = { 'Idempotency-Key': 'shared-key' };
		for (const user of [one, two]) {
			const { status } = await callJson('/api/billing/dev-top-up', {
				method: 'POST',
				json: { packageId: 'starter' },
				headers,
				as: user.as
			});
			expect(status).toBe(200);
			expect((await balanceOf(user)).available).toBe(620);
		}
	});

	it('a malformed key is refused with 400 and changes nothing', async () => {
		const owner = await signUp('idem-bad');
		const before = await snapshot(owner.me.workspace.id);
		for (const key of ['', 'k'.repeat(201), 'tab\tinside']) {
			const { status, body } = await callJson('/api/billing/dev-top-up', {
				method: 'POST',
				json: { packageId: 'starter' },
				headers: { 'Idempotency-Key': key },
				as: owner.as
			});
			expect(status, JSON.stringify(key)).toBe(400);
			expect(body).toMatchObject({ error: { code: 'invalid_request', details: { reason: 'idempotency_key_invalid' } } });
		}
		expect(await snapshot(owner.me.workspace.id)).toEqual(before);
	});

	it('a refused request frees its key, so a corrected retry with the same key runs', async () => {
		const owner = await signUp('idem-free');
		const headers = { 'Idempotency-Key': 'retry-me' };
		const unknown = await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'mega' }, headers, as: owner.as });
		expect(unknown.status).toBe(400);
		const same = await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'mega' }, headers, as: owner.as });
		expect(same.status).toBe(400);
		const fixed = await callJson('/api/billing/dev-top-up', { method: 'POST', json: { packageId: 'starter' }, headers, as: owner.as });
		expect(fixed.status).toBe(200);
	});
});

describe('checkout', () => {
	it('without a Stripe key: a clear 409 pointing at the dev top-up', async () => {
		const owner = await signUp('no-stripe');
		const { status, body } = await callJson<{ error: { message: string } }>('/api/billing/checkout', {
			method: 'POST',
			json: { packageId: 'starter' },
			as: owner.as
		});
		expect(status).toBe(409);
		expect(body).toMatchObject({ error: { code: 'conflict', details: { reason: 'stripe_not_configured' } } });
		expect(body.error.message).toContain('dev-top-up');
	});

	it('creates a Stripe Checkout Session for admins and owners, with the workspace and package in its metadata', async () => {
		stripe = installFakeStripe(STRIPE_KEY);
		const owner = await signUp('checkout-owner');
		const admin = await addMember(owner, 'admin');
		const { status, body } = await callWith(withStripe, '/api/billing/checkout', {
			method: 'POST',
			json: { packageId: 'team' },
			headers: { 'Idempotency-Key': 'buy-team-1' },
			as: admin.as
		});
		expect(status).toBe(200);
		const [session] = [...stripe.sessions.values()];
		expect(body).toEqual({ url: session!.url });
		expect(session).toMatchObject({
			mode: 'payment',
			amount_total: 10000,
			currency: 'usd',
			client_reference_id: owner.me.workspace.id,
			metadata: { workspaceId: owner.me.workspace.id, packageId: 'team', tokens: '2500', userId: admin.me.user.id }
		});
		expect(session!.success_url).toBe('http://127.0.0.1:8787/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}');
		expect(stripe.requests[0]!.idempotencyKey).toBe(`checkout:${owner.me.workspace.id}:buy-team-1`);

		// The replay answers from our store: Stripe is not called again.
		const replay = await callWith(withStripe, '/api/billing/checkout', {
			method: 'POST',
			json: { packageId: 'team' },
			headers: { 'Idempotency-Key': 'buy-team-1' },
			as: admin.as
		});
		expect(replay).toMatchObject({ status: 200, body });
		expect(stripe.requests).toHaveLength(1);
	});

	it('members cannot buy tokens; unknown packages are refused before Stripe is called', async () => {
		stripe = installFakeStripe(STRIPE_KEY);
		const owner = await signUp('checkout-guard');
		const member = await addMember(owner, 'member');
		const denied = await callWith(withStripe, '/api/billing/checkout', { method: 'POST', json: { packageId: 'starter' }, as: member.as });
		expect(denied).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
		const unknown = await callWith(withStripe, '/api/billing/checkout', { method: 'POST', json: { packageId: 'gold' }, as: owner.as });
		expect(unknown).toMatchObject({
			status: 400,
			body: { error: { code: 'invalid_request', details: { packageIds: ['starter', 'team', 'scale'] } } }
		});
		expect(stripe.requests).toHaveLength(0);
	});

	it('a second request with the key while the first is still with Stripe gets 409; afterwards it replays', async () => {
		stripe = installFakeStripe(STRIPE_KEY);
		const owner = await signUp('checkout-inflight');
		const request = { method: 'POST', json: { packageId: 'starter' }, headers: { 'Idempotency-Key': 'slow-1' }, as: owner.as };
		const open = stripe.hold();
		const first = callWith(withStripe, '/api/billing/checkout', request);
		while (stripe.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
		const second = await callWith(withStripe, '/api/billing/checkout', request);
		expect(second).toMatchObject({ status: 409, body: { error: { code: 'conflict', details: { reason: 'idempotency_in_flight' } } } });
		open();
		expect((await first).status).toBe(200);
		const third = await callWith(withStripe, '/api/billing/checkout', request);
		expect(third).toMatchObject({ status: 200, body: (await first).body });
		expect(third.headers.get('Idempotent-Replayed')).toBe('true');
		expect(stripe.requests).toHaveLength(1);
	});

	it('when Stripe fails, the answer is 503 and the key is free for a retry', async () => {
		stripe = installFakeStripe(STRIPE_KEY);
		const owner = await signUp('checkout-down');
		const request = { method: 'POST', json: { packageId: 'starter' }, headers: { 'Idempotency-Key': 'flaky-1' }, as: owner.as };
		stripe.failNext(2); // the SDK retries once
		expect(await callWith(withStripe, '/api/billing/checkout', request)).toMatchObject({
			status: 503,
			body: { error: { code: 'unavailable' } }
		});
		expect((await callWith(withStripe, '/api/billing/checkout', request)).status).toBe(200);
	});
});
