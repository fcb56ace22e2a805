import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../db/client';
import { ApiError } from '../lib/errors';
import type { Principal } from '../lib/principal';
import { unknownFieldError } from './validation';

export type AppVariables = {
	db: Database;
	/** Set by the authentication middleware for signed-in sessions and API keys. */
	principal?: Principal;
	/** The signed-in user (for API keys, the member who created the key). */
	account?: Account;
};

export type Account = { id: string; name: string; email: string };

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** A router whose request validation failures become `unknown_field` or `invalid_request` errors. */
export function createRouter() {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) {
				const unknown = unknownFieldError(result.error);
				if (unknown) throw unknown;
				const issues = result.error.issues.map((issue) => ({
					path: issue.path.join('.'),
					message: issue.message
				}));
				const first = issues[0];
				const message = first ? `Invalid request: ${first.path || 'body'}: ${first.message}` : 'Invalid request.';
				throw new ApiError('invalid_request', message, { issues });
			}
		}
	});
}

/** The caller, or a 401 when the request is not authenticated. */
export function requirePrincipal(c: { get(key: 'principal'): Principal | undefined }): Principal {
	const principal = c.get('principal');
	if (!principal) throw new ApiError('unauthenticated', 'Sign in to continue.');
	return principal;
}

export function requireAccount(c: { get(key: 'account'): Account | undefined }): Account {
	const account = c.get('account');
	if (!account) throw new ApiError('unauthenticated', 'Sign in to continue.');
	return account;
}
