import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeStripe, type FakeStripe } from '../fakes/stripe';
import { balanceOf, callWith, entriesOf, snapshot, STRIPE_KEY, WEBHOOK_SECRET, withStripe } from './billing-helpers';
import { call, signUp } from './helpers/api';

const cryptoProvider = Stripe.createSubtleCryptoProvider();

let stripe: FakeStripe | null = null;
afterEach(() => {
	stripe?.restore();
	stripe = null;
});

/** A Stripe event as Stripe would deliver it, for a checkout session of `workspaceId`. */
function checkoutEvent(input: {
	workspaceId: string;
	sessionId?: string;
	eventId?: string;
	type?: string;
	paid?: boolean;
	packageId?: string;
	tokens?: number;
}) {
	const sessionId = input.sessionId ?? `cs_test_${crypto.randomUUID().replaceAll('-', '')}`;
	return {
		id: input.eventId ?? `evt_${crypto.randomUUID().replaceAll('-', '')}`,
		object: 'event',
		api_version: '2025-01-01',
		created: Math.floor(Date.now() / 1000),
		livemode: false,
		pending_webhooks: 1,
		request: { id: null, idempotency_key: null },
		type: input.type ?? 'checkout.session.completed',
		data: {
			object: {
				id: sessionId,
				object: 'checkout.session',
				mode: 'payment',
				payment_status: input.paid === false ? 'unpaid' : 'paid',
				status: 'complete',
				client_reference_id: input.workspaceId,
				metadata: {
					workspaceId: input.workspaceId,
					packageId: input.packageId ?? 'team',
					tokens: String(input.tokens ?? 2500),
					userId: 'u1'
				}
			}
		}
	};
}

async function deliver(
	event: unknown,
	options: { secret?: string; timestamp?: number; signature?: string | null; env?: Partial<Env> } = {}
) {
	const payload = JSON.stringify(event);
	const signature =
		options.signature !== undefined
			? options.signature
			: await Stripe.webhooks.generateTestHeaderStringAsync({
					payload,
					secret: options.secret ?? WEBHOOK_SECRET,
					timestamp: options.timestamp,
					cryptoProvider
				});
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (signature !== null) headers['Stripe-Signature'] = signature;
	return callWith(options.env ?? withStripe, '/api/billing/webhook', { method: 'POST', body: payload, headers });
}

describe('Stripe webhook', () => {
	it('a paid checkout credits the package to the workspace, once, however often it is delivered', async () => {
		const owner = await signUp('webhook-paid');
		const workspaceId = owner.me.workspace.id;
		const event = checkoutEvent({ workspaceId });
		expect(await deliver(event)).toMatchObject({ status: 200, body: { received: true, credited: 2500 } });
		expect(await deliver(event)).toMatchObject({ status: 200, body: { received: true, credited: 0 } });
		const [again, later] = await Promise.all([
			deliver(event),
			deliver({ ...event, id: 'evt_other_delivery', type: 'checkout.session.async_payment_succeeded' })
		]);
		expect([again.body.credited, later.body.credited]).toEqual([0, 0]);
		expect(await balanceOf(owner)).toMatchObject({ available: 2620 });
		const purchases = (await entriesOf(workspaceId)).filter((entry) => entry.kind === 'purchase');
		expect(purchases).toHaveLength(1);
		expect(purchases[0]).toMatchObject({ availableDelta: 2500, reference: `checkout:${event.data.object.id}` });
		expect(purchases[0]!.note).toContain(event.id);
	});

	it('checkout then webhook: the session our checkout created is what gets credited', async () => {
		stripe = installFakeStripe(STRIPE_KEY);
		const owner = await signUp('webhook-e2e');
		await callWith(withStripe, '/api/billing/checkout', { method: 'POST', json: { packageId: 'scale' }, as: owner.as });
		const [session] = [...stripe.sessions.values()];
		const event = checkoutEvent({ workspaceId: owner.me.workspace.id, sessionId: session!.id, packageId: 'scale', tokens: 10_000 });
		event.data.object.metadata = session!.metadata as typeof event.data.object.metadata;
		expect(await deliver(event)).toMatchObject({ status: 200, body: { credited: 10_000 } });
		expect(await balanceOf(owner)).toMatchObject({ available: 10_120 });
	});

	it('refuses forged, stale and missing signatures with 400 and changes nothing', async () => {
		const owner = await signUp('webhook-forged');
		const workspaceId = owner.me.workspace.id;
		const before = await snapshot(workspaceId);
		const forged = await deliver(checkoutEvent({ workspaceId }), { secret: 'whsec_someone_else' });
		expect(forged).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: { reason: 'signature_invalid' } } } });
		const stale = await deliver(checkoutEvent({ workspaceId }), { timestamp: Math.floor(Date.now() / 1000) - 600 });
		expect(stale).toMatchObject({ status: 400, body: { error: { details: { reason: 'signature_invalid' } } } });
		const garbage = await deliver(checkoutEvent({ workspaceId }), { signature: 't=1,v1=deadbeef' });
		expect(garbage).toMatchObject({ status: 400, body: { error: { details: { reason: 'signature_invalid' } } } });
		const missing = await deliver(checkoutEvent({ workspaceId }), { signature: null });
		expect(missing).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: { reason: 'signature_missing' } } } });
		// A payload changed after signing.
		const event = checkoutEvent({ workspaceId });
		const signature = await Stripe.webhooks.generateTestHeaderStringAsync({
			payload: JSON.stringify(event),
			secret: WEBHOOK_SECRET,
			cryptoProvider
		});
		const tampered = await deliver(
			{ ...event, data: { object: { ...event.data.object, metadata: { ...event.data.object.metadata, tokens: '999999' } } } },
			{ signature }
		);
		expect(tampered.status).toBe(400);
		expect(await snapshot(workspaceId)).toEqual(before);
	});

	it('acknowledges events it does not handle, and unpaid or foreign sessions, without crediting', async () => {
		const owner = await signUp('webhook-ignored');
		const workspaceId = owner.me.workspace.id;
		const before = await snapshot(workspaceId);
		expect(await deliver({ ...checkoutEvent({ workspaceId }), type: 'customer.created' })).toMatchObject({
			status: 200,
			body: { credited: 0 }
		});
		expect(await deliver(checkoutEvent({ workspaceId, paid: false }))).toMatchObject({
			status: 200,
			body: { credited: 0, ignored: 'payment status unpaid' }
		});
		const foreign = checkoutEvent({ workspaceId });
		foreign.data.object.metadata = {} as typeof foreign.data.object.metadata;
		expect(await deliver(foreign)).toMatchObject({ status: 200, body: { credited: 0 } });
		expect(await deliver(checkoutEvent({ workspaceId: 'ws_gone' }))).toMatchObject({ status: 200, body: { credited: 0 } });
		expect(await snapshot(workspaceId)).toEqual(before);
	});

	it('takes any content type (Stripe signs raw bytes) and answers 503 while no webhook secret is configured', async () => {
		const response = await call('/api/billing/webhook', {
			method: 'POST',
			body: 'not json at all',
			headers: { 'Content-Type': 'text/plain', 'Stripe-Signature': 't=1,v1=x' }
		});
		expect(response.status).toBe(503);
		expect(await response.json()).toMatchObject({ error: { code: 'unavailable', details: { reason: 'webhook_secret_missing' } } });
	});
});
