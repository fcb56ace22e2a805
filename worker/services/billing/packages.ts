import type { PackageList, TokenPackage } from '../../contracts/billing';
import type { Database } from '../../db/client';
import { ApiError } from '../../lib/errors';
import { isLoopbackUrl } from '../../lib/origins';
import { grant } from '../ledger';
import { tokensPerMinute } from '../ledger';

/** Token packages and how they can be bought. The one place prices live. */
export const TOKEN_PACKAGES: readonly TokenPackage[] = [
	{ id: 'starter', name: 'Starter', tokens: 500, priceCents: 2_500, currency: 'usd' },
	{ id: 'team', name: 'Team', tokens: 2_500, priceCents: 10_000, currency: 'usd' },
	{ id: 'scale', name: 'Scale', tokens: 10_000, priceCents: 35_000, currency: 'usd' }
];

export function findPackage(packageId: string): TokenPackage {
	const found = TOKEN_PACKAGES.find((pkg) => pkg.id === packageId);
	if (!found) {
		const ids = TOKEN_PACKAGES.map((pkg) => pkg.id);
		throw new ApiError('invalid_request', `There is no token package "${packageId}". Choose one of: ${ids.join(', ')}.`, {
			packageIds: ids
		});
	}
	return found;
}

export const stripeConfigured = (env: Pick<Env, 'STRIPE_SECRET_KEY'>) => Boolean(env.STRIPE_SECRET_KEY?.trim());

/** A deployment that only its developer can reach: PUBLIC_BASE_URL is a loopback address. */
export const isLocalDeployment = (env: Pick<Env, 'PUBLIC_BASE_URL'>) => isLoopbackUrl(env.PUBLIC_BASE_URL);

/**
 * Dev top-ups credit tokens without payment: only without Stripe, only on a local deployment,
 * and only for a request addressed to a loopback host (elsewhere the route does not exist).
 */
export function devTopUpAvailable(env: Pick<Env, 'STRIPE_SECRET_KEY' | 'PUBLIC_BASE_URL'>, requestUrl: string): boolean {
	return !stripeConfigured(env) && isLocalDeployment(env) && isLoopbackUrl(requestUrl);
}

/** What can be bought, and how, for a request to `requestUrl`. */
export function packageList(
	env: Pick<Env, 'STRIPE_SECRET_KEY' | 'PUBLIC_BASE_URL' | 'TOKENS_PER_MINUTE'>,
	requestUrl: string
): PackageList {
	return {
		packages: [...TOKEN_PACKAGES],
		tokensPerMinute: tokensPerMinute(env),
		checkout: stripeConfigured(env) ? 'stripe' : devTopUpAvailable(env, requestUrl) ? 'dev' : 'none'
	};
}

/** Credits a package as a grant, labelled as a dev top-up, when no payment provider is configured. */
export async function devTopUp(
	db: Database,
	env: Pick<Env, 'STRIPE_SECRET_KEY' | 'PUBLIC_BASE_URL'>,
	input: { workspaceId: string; actorId: string; packageId: string }
) {
	if (stripeConfigured(env)) {
		throw new ApiError('forbidden', 'Dev top-ups are off because Stripe is configured. Buy tokens with POST /api/billing/checkout.');
	}
	if (!isLocalDeployment(env)) {
		throw new ApiError('forbidden', 'Dev top-ups only work on a local deployment (PUBLIC_BASE_URL on localhost or 127.0.0.1).');
	}
	const pkg = findPackage(input.packageId);
	const { entry } = await grant(db, {
		workspaceId: input.workspaceId,
		amount: pkg.tokens,
		reference: `dev-top-up:${crypto.randomUUID()}`,
		note: `Dev top-up, no payment: ${pkg.name} package (${pkg.tokens} tokens)`,
		actorId: input.actorId
	});
	if (!entry) throw new Error('A dev top-up with a fresh reference was not written.');
	return entry;
}
