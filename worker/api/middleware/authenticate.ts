import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { user } from '../../db/schema';
import { ApiError } from '../../lib/errors';
import { isTrustedOrigin } from '../../lib/origins';
import { authenticateApiKey } from '../../services/accounts';
import { getAuth } from '../../services/accounts';
import { resolveSessionWorkspace } from '../../services/accounts';
import { signupTokens } from '../../services/ledger';
import type { AppEnv } from '../context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authenticateBearer(c: Parameters<MiddlewareHandler<AppEnv>>[0], secret: string) {
	const db = c.get('db');
	const result = await authenticateApiKey(db, secret);
	if (!result) throw new ApiError('invalid_api_key', 'This API key is not valid or has been revoked.');
	const creator = await db.query.user.findFirst({ where: eq(user.id, result.principal.userId) });
	if (!creator) throw new ApiError('invalid_api_key', 'This API key is not valid or has been revoked.');
	c.set('principal', result.principal);
	c.set('account', { id: creator.id, name: creator.name, email: creator.email });
	c.executionCtx.waitUntil(result.touch());
}

/**
 * Sets the principal from `Authorization: Bearer <api key>` or the better-auth session cookie.
 * Cookie-authenticated mutations must come from a trusted Origin (CSRF protection);
 * API keys carry no ambient authority, so they need no such check.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
	const authorization = c.req.header('Authorization');
	if (authorization) {
		const match = /^Bearer\s+(\S+)$/i.exec(authorization);
		if (!match) throw new ApiError('invalid_api_key', 'Use "Authorization: Bearer <api key>".');
		await authenticateBearer(c, match[1]!);
		return next();
	}
	if (!c.req.header('Cookie')) return next();

	const session = await getAuth(c.env, c.req.url).api.getSession({ headers: c.req.raw.headers });
	if (!session) return next();
	if (!SAFE_METHODS.has(c.req.method) && !isTrustedOrigin(c.req.header('Origin') ?? null, c.env.PUBLIC_BASE_URL)) {
		throw new ApiError('invalid_origin', 'This request did not come from the Parley app.');
	}
	const account = session.user as typeof session.user & { currentWorkspaceId?: string | null };
	const { workspaceId, role } = await resolveSessionWorkspace(c.get('db'), account, signupTokens(c.env));
	c.set('principal', { userId: account.id, workspaceId, role, method: 'session' });
	c.set('account', { id: account.id, name: account.name, email: account.email });
	return next();
};
