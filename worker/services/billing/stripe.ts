import type { Stripe as StripeClient } from 'stripe';
import type { TokenPackage } from '../../contracts/billing';
import type { Database } from '../../db/client';
import { ApiError } from '../../lib/errors';
import { logError, logInfo } from '../../lib/log';
import { findPackage, stripeConfigured } from './packages';
import { MAX_TOKENS, purchase } from '../ledger';

/**
 * Stripe Checkout for token packages. The SDK is imported lazily: it is large, and only these
 * two requests need it. Its fetch client and SubtleCrypto provider are the ones that run in workerd.
 */

type StripeClass = typeof StripeClient;

async function loadStripe(): Promise<StripeClass> {
	const module = await import('stripe');
	return module.default;
}

async function stripeClient(secretKey: string): Promise<StripeClient> {
	const Stripe = await loadStripe();
	return new Stripe(secretKey, { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 1 });
}

/** Logs a Stripe failure by its type and code only: messages can quote request details. */
function logStripeFailure(event: string, error: unknown, fields: Record<string, unknown> = {}) {
	const { type, code, statusCode } = (error ?? {}) as { type?: string; code?: string; statusCode?: number };
	logError(event, new Error(type ?? 'unknown'), { ...fields, code, statusCode });
}

export type CheckoutInput = {
	workspaceId: string;
	userId: string;
	packageId: string;
	/** The client's Idempotency-Key: Stripe then returns the same session for a retried request. */
	idempotencyKey?: string;
};

export async function createCheckoutSession(
	env: Pick<Env, 'STRIPE_SECRET_KEY' | 'PUBLIC_BASE_URL'>,
	input: CheckoutInput
): Promise<{ url: string; sessionId: string }> {
	if (!stripeConfigured(env)) {
		throw new ApiError('conflict', 'Stripe is not configured on this deployment. Locally, use POST /api/billing/dev-top-up instead.', {
			reason: 'stripe_not_configured'
		});
	}
	const pkg = findPackage(input.packageId);
	const stripe = await stripeClient(env.STRIPE_SECRET_KEY.trim());
	const base = env.PUBLIC_BASE_URL.replace(/\/+$/, '');
	const metadata = { workspaceId: input.workspaceId, packageId: pkg.id, tokens: String(pkg.tokens), userId: input.userId };
	try {
		const session = await stripe.checkout.sessions.create(
			{
				mode: 'payment',
				client_reference_id: input.workspaceId,
				line_items: [
					{ quantity: 1, price_data: { currency: pkg.currency, unit_amount: pkg.priceCents, product_data: { name: productName(pkg) } } }
				],
				metadata,
				payment_intent_data: { metadata },
				success_url: `${base}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
				cancel_url: `${base}/billing?checkout=cancelled`
			},
			input.idempotencyKey ? { idempotencyKey: `checkout:${input.workspaceId}:${input.idempotencyKey}` } : undefined
		);
		if (!session.url) throw new Error('Stripe returned a checkout session without a URL.');
		return { url: session.url, sessionId: session.id };
	} catch (error) {
		logStripeFailure('stripe.checkout_failed', error, { workspaceId: input.workspaceId });
		throw new ApiError('unavailable', 'The payment provider could not start a checkout. Please try again.');
	}
}

const productName = (pkg: TokenPackage) => `Parley ${pkg.name}: ${pkg.tokens} interview tokens`;

/** Verifies the Stripe-Signature of a webhook delivery and parses the event; a 400 when it does not verify. */
export async function verifyWebhook(
	env: Pick<Env, 'STRIPE_WEBHOOK_SECRET'>,
	payload: string,
	signature: string | undefined
): Promise<StripeClient.Event> {
	const secret = env.STRIPE_WEBHOOK_SECRET?.trim();
	if (!secret)
		throw new ApiError('unavailable', 'Stripe webhooks are not configured on this deployment.', { reason: 'webhook_secret_missing' });
	if (!signature) {
		throw new ApiError('invalid_request', 'The Stripe-Signature header is missing.', { reason: 'signature_missing' });
	}
	const Stripe = await loadStripe();
	try {
		return await Stripe.webhooks.constructEventAsync(payload, signature, secret, undefined, Stripe.createSubtleCryptoProvider());
	} catch {
		throw new ApiError('invalid_request', 'The Stripe signature does not match, or it is too old.', { reason: 'signature_invalid' });
	}
}

export type WebhookOutcome = { credited: number; ignored?: string };

type PurchaseMetadata = { workspaceId: string; packageId: string; tokens: number; userId: string | null };

function purchaseMetadata(session: StripeClient.Checkout.Session): PurchaseMetadata | null {
	const metadata = session.metadata ?? {};
	const workspaceId = metadata.workspaceId;
	const packageId = metadata.packageId;
	if (!workspaceId || !packageId) return null;
	// The tokens sold are the ones in the signed session; the package table only fills in if they are absent.
	const tokens = metadata.tokens ? Number(metadata.tokens) : findPackageTokens(packageId);
	if (!Number.isSafeInteger(tokens) || tokens < 1 || tokens > MAX_TOKENS) return null;
	return { workspaceId, packageId, tokens, userId: metadata.userId || null };
}

function findPackageTokens(packageId: string): number {
	try {
		return findPackage(packageId).tokens;
	} catch {
		return Number.NaN;
	}
}

/**
 * Applies a verified event. A paid checkout session credits its tokens as a `purchase` whose
 * reference is the session id, so redeliveries (same event id) and the later
 * `async_payment_succeeded` of the same session credit it once in all.
 */
export async function applyStripeEvent(db: Database, event: StripeClient.Event): Promise<WebhookOutcome> {
	if (event.type !== 'checkout.session.completed' && event.type !== 'checkout.session.async_payment_succeeded') {
		return { credited: 0, ignored: `event type ${event.type}` };
	}
	const session = event.data.object;
	if (session.payment_status !== 'paid') return { credited: 0, ignored: `payment status ${session.payment_status}` };
	const bought = purchaseMetadata(session);
	if (!bought) {
		logInfo('stripe.webhook_ignored', { eventId: event.id, reason: 'metadata' });
		return { credited: 0, ignored: 'not a Parley token purchase' };
	}
	try {
		const { applied } = await purchase(db, {
			workspaceId: bought.workspaceId,
			amount: bought.tokens,
			reference: `checkout:${session.id}`,
			note: `Stripe checkout: ${bought.packageId} package, ${bought.tokens} tokens (event ${event.id})`,
			actorId: bought.userId
		});
		logInfo('stripe.purchase', { eventId: event.id, workspaceId: bought.workspaceId, tokens: bought.tokens, applied });
		return { credited: applied ? bought.tokens : 0 };
	} catch (error) {
		if (error instanceof Error && /FOREIGN KEY constraint failed/.test(`${error.message} ${String(error.cause)}`)) {
			logError('stripe.purchase_for_missing_workspace', error, { eventId: event.id, workspaceId: bought.workspaceId });
			return { credited: 0, ignored: 'the workspace no longer exists' };
		}
		throw error;
	}
}
