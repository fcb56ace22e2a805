import { createRoute, z } from '@hono/zod-openapi';
import { Balance, CheckoutSession, DevTopUp, LedgerPage, LedgerQuery, PackageChoice, PackageList, WebhookAck } from '../contracts/billing';
import { ErrorBody } from '../contracts/errors';
import { IDEMPOTENCY_HEADER, idempotent } from './middleware/idempotency';
import { loopbackRequestsOnly } from './middleware/request-guards';
import { assertRole } from '../lib/principal';
import { devTopUp, packageList } from '../services/billing';
import { ledgerCsv } from '../services/ledger';
import { getBalance, listEntries, toEntryView } from '../services/ledger';
import { applyStripeEvent, createCheckoutSession, verifyWebhook } from '../services/billing';
import { createRouter, requirePrincipal } from './context';
import { jsonBody } from './openapi';
import { PUBLIC } from './openapi-document';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ErrorBody, description);
const IdempotencyHeaders = z.object({
	[IDEMPOTENCY_HEADER]: z.string().optional().describe('1–200 printable characters. A retry with the same key replays the first response.')
});

const balanceRoute = createRoute({
	method: 'get',
	path: '/billing/balance',
	operationId: 'getBalance',
	tags: ['billing'],
	summary: 'Available and reserved tokens, and the tokens charged this calendar month (UTC)',
	responses: { 200: json(Balance, 'The balance'), 401: error('Not signed in') }
});

const ledgerRoute = createRoute({
	method: 'get',
	path: '/billing/ledger',
	operationId: 'listLedgerEntries',
	tags: ['billing'],
	summary: 'Ledger entries, newest first; `format=csv` downloads every entry that matches the filters',
	request: { query: LedgerQuery },
	responses: {
		200: {
			description: 'A page of entries (JSON), or all matching entries (CSV)',
			// The CSV is documented as a plain schema, so the typed client knows the JSON page as the only body it parses.
			content: { 'application/json': { schema: LedgerPage }, 'text/csv': { schema: { type: 'string' } } }
		},
		400: error('Invalid filter or cursor'),
		401: error('Not signed in')
	}
});

const packagesRoute = createRoute({
	method: 'get',
	path: '/billing/packages',
	operationId: 'listTokenPackages',
	tags: ['billing'],
	summary: 'Token packages for sale, the price of an interview-minute, and how packages can be bought here',
	responses: { 200: json(PackageList, 'The packages'), 401: error('Not signed in') }
});

const checkoutRoute = createRoute({
	method: 'post',
	path: '/billing/checkout',
	operationId: 'createCheckout',
	tags: ['billing'],
	summary: 'Start a Stripe Checkout for a token package (admins and owners)',
	middleware: [idempotent('billing.checkout')] as const,
	request: { headers: IdempotencyHeaders, ...jsonBody(PackageChoice, { packageId: 'starter' }) },
	responses: {
		200: json(CheckoutSession, 'Send the browser to `url`'),
		400: error('Unknown package or invalid Idempotency-Key'),
		401: error('Not signed in'),
		403: error('Members cannot buy tokens'),
		409: error('Stripe is not configured, or the same Idempotency-Key is in flight'),
		422: error('The Idempotency-Key was used for a different request'),
		503: error('Stripe could not be reached')
	}
});

const devTopUpRoute = createRoute({
	method: 'post',
	path: '/billing/dev-top-up',
	operationId: 'devTopUp',
	tags: ['billing'],
	summary: 'Local development only: credit a package without payment (owners; only when Stripe is not configured, on a loopback address)',
	middleware: [loopbackRequestsOnly, idempotent('billing.dev-top-up')] as const,
	request: { headers: IdempotencyHeaders, ...jsonBody(PackageChoice, { packageId: 'starter' }) },
	responses: {
		200: json(DevTopUp, 'The grant and the new balance'),
		400: error('Unknown package'),
		401: error('Not signed in'),
		403: error('Not an owner, Stripe is configured, or the deployment is not local'),
		404: error('Not requested on a loopback address: the route does not exist there')
	}
});

const webhookRoute = createRoute({
	method: 'post',
	path: '/billing/webhook',
	operationId: 'receiveStripeWebhook',
	...PUBLIC,
	tags: ['billing'],
	summary: 'Stripe webhook endpoint (signed by Stripe; no session)',
	request: { headers: z.object({ 'stripe-signature': z.string().optional() }) },
	responses: {
		200: json(WebhookAck, 'Received; a paid checkout is credited once'),
		400: error('Missing, forged or stale signature'),
		503: error('Webhooks are not configured')
	}
});

/** Billing: balance, ledger, packages, checkout and the Stripe webhook. Thin: the rules live in the services. */
export function billingRoutes() {
	return createRouter()
		.openapi(balanceRoute, async (c) => {
			const { workspaceId } = requirePrincipal(c);
			return c.json(await getBalance(c.get('db'), workspaceId), 200);
		})
		.openapi(ledgerRoute, async (c) => {
			const { workspaceId } = requirePrincipal(c);
			const { format, cursor, limit, kind, from, to } = c.req.valid('query');
			const filter = { kinds: kind, from, to };
			if (format === 'csv') {
				const day = new Date().toISOString().slice(0, 10);
				return c.body(ledgerCsv(c.get('db'), workspaceId, filter), 200, {
					'Content-Type': 'text/csv; charset=utf-8',
					'Content-Disposition': `attachment; filename="parley-ledger-${day}.csv"`
				});
			}
			return c.json(await listEntries(c.get('db'), workspaceId, { ...filter, cursor, limit }), 200);
		})
		.openapi(packagesRoute, (c) => c.json(packageList(c.env, c.req.url), 200))
		.openapi(checkoutRoute, async (c) => {
			const principal = requirePrincipal(c);
			assertRole(principal, 'admin', 'buy tokens');
			const { packageId } = c.req.valid('json');
			const { url } = await createCheckoutSession(c.env, {
				workspaceId: principal.workspaceId,
				userId: principal.userId,
				packageId,
				idempotencyKey: c.req.header(IDEMPOTENCY_HEADER)
			});
			return c.json({ url }, 200);
		})
		.openapi(devTopUpRoute, async (c) => {
			const principal = requirePrincipal(c);
			assertRole(principal, 'owner', 'top up tokens');
			const { packageId } = c.req.valid('json');
			const db = c.get('db');
			const entry = await devTopUp(db, c.env, { workspaceId: principal.workspaceId, actorId: principal.userId, packageId });
			return c.json({ entry: toEntryView(entry), balance: await getBalance(db, principal.workspaceId) }, 200);
		})
		.openapi(webhookRoute, async (c) => {
			const payload = await c.req.text();
			const event = await verifyWebhook(c.env, payload, c.req.header('stripe-signature'));
			const outcome = await applyStripeEvent(c.get('db'), event);
			return c.json({ received: true as const, ...outcome }, 200);
		});
}
