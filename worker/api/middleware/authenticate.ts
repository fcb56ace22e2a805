import type { MiddlewareHandler } from 'hono';
import { createDatabase } from '../../db/client';
import { ApiError } from '../../lib/errors';
import { isTrustedOrigin } from '../../lib/origins';
import { apiKeyCaller, bearerSecret, sessionAccount, sessionCaller } from '../credentials';
import type { AppEnv } from '../context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sets the principal from `Authorization: Bearer <api key>` or the better-auth session cookie.
 * Cookie-authenticated mutations must come from a trusted Origin (CSRF protection);
 * API keys carry no ambient authority, so they need no such check.
 * Who the caller is and what they may do is read from the D1 primary, never a read replica: a
 * revoked key or a removed member must stop at once, not when a replica catches up.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
	const authorization = c.req.header('Authorization');
	if (authorization) {
		const secret = bearerSecret(authorization);
		if (!secret) throw new ApiError('invalid_api_key', 'Use "Authorization: Bearer <api key>".');
		const caller = await apiKeyCaller(createDatabase(c.env.DB), secret);
		if (!caller) throw new ApiError('invalid_api_key', 'This API key is not valid or has been revoked.');
		c.set('principal', caller.principal);
		c.set('account', caller.account);
		c.executionCtx.waitUntil(caller.touch());
		return next();
	}
	if (!c.req.header('Cookie')) return next();

	const account = await sessionAccount(c.env, c.req.raw);
	if (!account) return next();
	if (!SAFE_METHODS.has(c.req.method) && !isTrustedOrigin(c.req.header('Origin') ?? null, c.env.PUBLIC_BASE_URL)) {
		throw new ApiError('invalid_origin', 'This request did not come from the Parley app.');
	}
	const caller = await sessionCaller(c.env, createDatabase(c.env.DB), account);
	c.set('principal', caller.principal);
	c.set('account', caller.account);
	return next();
};
