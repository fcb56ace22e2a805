import type { Context } from 'hono';
import { z } from 'zod';
import { Email, Name } from '../contracts/api';
import { ApiError } from '../lib/errors';
import { getAuth } from '../services/accounts';
import { weakPasswordReason } from '../services/accounts';
import { normalizeErrorResponse } from './auth-errors';
import { createRouter, type AppEnv } from './context';
import { unknownFieldError } from './validation';

const Password = z.string().min(1, 'Password is required.').max(1024);
const SignUpBody = z.strictObject({ name: Name, email: Email, password: Password });
const SignInBody = z.strictObject({ email: Email, password: Password, rememberMe: z.boolean().optional() });
const ResetRequestBody = z.strictObject({ email: Email, redirectTo: z.string().max(500).optional() });
const ResetBody = z.strictObject({ newPassword: Password, token: z.string().min(1).max(200) });
const ChangePasswordBody = z.strictObject({
	currentPassword: Password,
	newPassword: Password,
	revokeOtherSessions: z.boolean().optional()
});

/**
 * `rateLimited`: per route, client IP and email (RATE_LIMIT), against guessing one account.
 * `limitedPerIp`: also per route and client IP alone (RATE_LIMIT_IP), against trying one
 * password on many accounts. Neither counts another IP's attempts, so a lockout from one
 * address never blocks the account's owner signing in from theirs.
 */
type Guard = { schema: z.ZodType<Record<string, unknown>>; password?: string; rateLimited?: boolean; limitedPerIp?: boolean };

/** Our checks in front of better-auth's own endpoints: shape, password strength, rate limits. */
const GUARDS = {
	'/api/auth/sign-up/email': { schema: SignUpBody, password: 'password', rateLimited: true },
	'/api/auth/sign-in/email': { schema: SignInBody, rateLimited: true, limitedPerIp: true },
	'/api/auth/request-password-reset': { schema: ResetRequestBody, rateLimited: true },
	'/api/auth/reset-password': { schema: ResetBody, password: 'newPassword', rateLimited: true },
	'/api/auth/change-password': { schema: ChangePasswordBody, password: 'newPassword' }
} satisfies Record<string, Guard>;

const guardOf = (path: string): Guard | undefined => (Object.hasOwn(GUARDS, path) ? GUARDS[path as keyof typeof GUARDS] : undefined);

/**
 * The body each guarded endpoint accepts, by its path under /api/auth. The catch-all route gives
 * the typed client nothing for better-auth's endpoints, so the web's auth forms are typed by this.
 * @public
 */
export type AuthRequestBodies = {
	[Path in keyof typeof GUARDS as Path extends `/api/auth/${infer Rest}` ? Rest : never]: z.input<(typeof GUARDS)[Path]['schema']>;
};

async function readGuardedBody(c: Context<AppEnv>, guard: Guard): Promise<Record<string, unknown>> {
	let json: unknown;
	try {
		json = await c.req.json();
	} catch {
		throw new ApiError('invalid_json', 'The request body is not valid JSON.');
	}
	const parsed = guard.schema.safeParse(json);
	if (!parsed.success) {
		const unknown = unknownFieldError(parsed.error);
		if (unknown) throw unknown;
		const issue = parsed.error.issues[0];
		throw new ApiError('invalid_request', issue?.message ?? 'Invalid request.', {
			issues: parsed.error.issues.map((each) => ({ path: each.path.join('.'), message: each.message }))
		});
	}
	const password = guard.password ? parsed.data[guard.password] : undefined;
	const weakness = typeof password === 'string' ? weakPasswordReason(password) : null;
	if (weakness) throw new ApiError('weak_password', `Choose a stronger password. ${weakness}`);
	return parsed.data;
}

async function enforceRateLimits(c: Context<AppEnv>, guard: Guard, body: Record<string, unknown>): Promise<void> {
	const ip = c.req.header('CF-Connecting-IP') ?? 'local';
	const email = typeof body.email === 'string' ? body.email : typeof body.token === 'string' ? 'token' : '';
	const limited = () => new ApiError('rate_limited', 'Too many attempts. Wait a minute and try again.');
	if (guard.rateLimited && !(await c.env.RATE_LIMIT.limit({ key: `${c.req.path}:${ip}:${email}` })).success) throw limited();
	if (guard.limitedPerIp && !(await c.env.RATE_LIMIT_IP.limit({ key: `${c.req.path}:${ip}` })).success) throw limited();
}

export function authRoutes() {
	const router = createRouter();
	router.all('/auth/*', async (c) => {
		const guard = c.req.method === 'POST' ? guardOf(c.req.path) : undefined;
		let request = c.req.raw;
		if (guard) {
			const body = await readGuardedBody(c, guard);
			await enforceRateLimits(c, guard, body);
			const headers = new Headers(request.headers);
			headers.delete('Content-Length');
			request = new Request(request.url, { method: 'POST', headers, body: JSON.stringify(body) });
		}
		return normalizeErrorResponse(await getAuth(c.env, request.url).handler(request), request);
	});
	return router;
}
