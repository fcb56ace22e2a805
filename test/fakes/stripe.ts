import { vi } from 'vitest';

/**
 * A fake of the part of Stripe's HTTP API that Parley calls: `POST /v1/checkout/sessions`.
 * It is installed under the global `fetch`, so the real Stripe SDK and our real service code run
 * unchanged; only the network hop is replaced. It checks the secret key, honours Stripe's
 * Idempotency-Key (same key and parameters → the same session), and can be held or made to fail.
 */

export type RecordedStripeRequest = { method: string; path: string; idempotencyKey: string | null; params: URLSearchParams };
export type FakeSession = {
	id: string;
	object: 'checkout.session';
	url: string;
	mode: string;
	payment_status: 'unpaid' | 'paid';
	status: 'open' | 'complete';
	amount_total: number;
	currency: string;
	client_reference_id: string | null;
	metadata: Record<string, string>;
	success_url: string;
	cancel_url: string;
};

const STRIPE_HOST = 'api.stripe.com';

function stripeError(status: number, type: string, message: string): Response {
	return Response.json({ error: { type, message } }, { status, headers: { 'Request-Id': `req_${crypto.randomUUID().slice(0, 8)}` } });
}

function bracketed(params: URLSearchParams, prefix: string): Record<string, string> {
	const found: Record<string, string> = {};
	for (const [name, value] of params) {
		const match = name.startsWith(`${prefix}[`) ? /^[^[]+\[([^\]]+)\]$/.exec(name) : null;
		if (match) found[match[1]!] = value;
	}
	return found;
}

export function installFakeStripe(secretKey: string) {
	const requests: RecordedStripeRequest[] = [];
	const sessions = new Map<string, FakeSession>();
	const byIdempotencyKey = new Map<string, { body: string; session: FakeSession }>();
	let failures = 0;
	let gate: Promise<void> | null = null;

	async function handle(request: Request): Promise<Response> {
		const url = new URL(request.url);
		const body = new TextDecoder().decode(await request.arrayBuffer());
		const params = new URLSearchParams(body);
		const idempotencyKey = request.headers.get('Idempotency-Key');
		requests.push({ method: request.method, path: url.pathname, idempotencyKey, params });
		if (gate) await gate;
		if (request.headers.get('Authorization') !== `Bearer ${secretKey}`) {
			return stripeError(401, 'invalid_request_error', 'Invalid API Key provided.');
		}
		if (failures > 0) {
			failures--;
			return stripeError(500, 'api_error', 'Something went wrong on Stripe’s end.');
		}
		if (request.method !== 'POST' || url.pathname !== '/v1/checkout/sessions') {
			return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${url.pathname}).`);
		}
		if (idempotencyKey) {
			const earlier = byIdempotencyKey.get(idempotencyKey);
			if (earlier && earlier.body !== body) {
				return stripeError(
					400,
					'idempotency_error',
					'Keys for idempotent requests can only be used with the same parameters they were first used with.'
				);
			}
			if (earlier) return Response.json(earlier.session, { headers: { 'Idempotent-Replayed': 'true' } });
		}
		const id = `cs_test_${crypto.randomUUID().replaceAll('-', '')}`;
		const session: FakeSession = {
			id,
			object: 'checkout.session',
			url: `https://checkout.stripe.com/c/pay/${id}`,
			mode: params.get('mode') ?? 'payment',
			payment_status: 'unpaid',
			status: 'open',
			amount_total: Number(params.get('line_items[0][price_data][unit_amount]') ?? 0) * Number(params.get('line_items[0][quantity]') ?? 1),
			currency: params.get('line_items[0][price_data][currency]') ?? 'usd',
			client_reference_id: params.get('client_reference_id'),
			metadata: bracketed(params, 'metadata'),
			success_url: params.get('success_url') ?? '',
			cancel_url: params.get('cancel_url') ?? ''
		};
		sessions.set(id, session);
		if (idempotencyKey) byIdempotencyKey.set(idempotencyKey, { body, session });
		return Response.json(session, { headers: { 'Request-Id': `req_${id.slice(-8)}` } });
	}

	const realFetch = globalThis.fetch;
	const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
		const request = new Request(input as RequestInfo, init);
		return new URL(request.url).hostname === STRIPE_HOST ? handle(request) : realFetch(request);
	});

	return {
		requests,
		sessions,
		/** The next `count` API calls answer 500. */
		failNext(count = 1) {
			failures = count;
		},
		/** Holds every API call until the returned function is called. */
		hold(): () => void {
			let open!: () => void;
			gate = new Promise<void>((resolve) => (open = resolve));
			return () => {
				gate = null;
				open();
			};
		},
		restore() {
			spy.mockRestore();
		}
	};
}

export type FakeStripe = ReturnType<typeof installFakeStripe>;
