import { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../db/client';
import { ApiError } from '../lib/errors';

export type AppVariables = {
	db: Database;
};

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** A router whose request validation failures become `invalid_request` errors. */
export function createRouter() {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) {
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
