import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createDatabase } from '../../../db/client';
import { ApiError } from '../../../lib/errors';
import { logError } from '../../../lib/log';
import * as schema from '../../../db/schema';
import { isLoopbackUrl, trustedOrigins } from '../../../lib/origins';
import { createMailer } from '../mail/mailer';
import { ensurePersonalWorkspace } from '../workspaces';
import { signupTokens } from '../../ledger';
import { authSchemaOptions } from './options';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy';

const LOCAL_DEV_SECRET = 'parley-local-development-secret-not-for-production';

/** The deployment's signing secret: sessions, and whatever else the server seals (join tickets). */
export const signingSecret = (env: Pick<Env, 'BETTER_AUTH_SECRET'>) => env.BETTER_AUTH_SECRET || LOCAL_DEV_SECRET;

/**
 * Without BETTER_AUTH_SECRET, sessions are signed with a secret anyone can read in this file.
 * That is acceptable only on a loopback server reached on a loopback address; a deployment
 * that kept the loopback PUBLIC_BASE_URL is still reached on its public host, so both count.
 */
function assertAuthSecret(env: Env, requestUrl: string): void {
	if (env.BETTER_AUTH_SECRET || (isLoopbackUrl(env.PUBLIC_BASE_URL) && isLoopbackUrl(requestUrl))) return;
	logError('auth.secret_missing', new Error('BETTER_AUTH_SECRET is not set'), { host: new URL(requestUrl).hostname });
	throw new ApiError('unavailable', 'Sign-in is not available on this server yet. Please try again later.');
}

function buildAuth(env: Env) {
	const db = createDatabase(env.DB);
	const mailer = createMailer(env);
	return betterAuth({
		...authSchemaOptions,
		appName: 'Parley',
		baseURL: env.PUBLIC_BASE_URL,
		basePath: '/api/auth',
		secret: signingSecret(env),
		trustedOrigins: trustedOrigins(env.PUBLIC_BASE_URL),
		database: drizzleAdapter(db, { provider: 'sqlite', schema }),
		emailAndPassword: {
			enabled: true,
			minPasswordLength: MIN_PASSWORD_LENGTH,
			maxPasswordLength: MAX_PASSWORD_LENGTH,
			resetPasswordTokenExpiresIn: 60 * 60,
			revokeSessionsOnPasswordReset: true,
			sendResetPassword: async ({ user, url }) => {
				await mailer.send({
					to: user.email,
					subject: 'Reset your Parley password',
					text: `Someone asked to reset the password of your Parley account.\n\nChoose a new password: ${url}\n\nThe link expires in one hour. If it was not you, ignore this mail.`
				});
			}
		},
		session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
		rateLimit: { enabled: false },
		advanced: {
			useSecureCookies: env.PUBLIC_BASE_URL.startsWith('https://'),
			ipAddress: { ipAddressHeaders: ['cf-connecting-ip'] }
		},
		databaseHooks: {
			user: {
				create: {
					after: async (created) => {
						await ensurePersonalWorkspace(db, created, signupTokens(env));
					}
				}
			}
		}
	});
}

export type Auth = ReturnType<typeof buildAuth>;

const instances = new WeakMap<Env, Auth>();

/** One better-auth instance per env object (that is, per isolate and configuration), for a request to `requestUrl`. */
export function getAuth(env: Env, requestUrl: string): Auth {
	assertAuthSecret(env, requestUrl);
	let auth = instances.get(env);
	if (!auth) {
		auth = buildAuth(env);
		instances.set(env, auth);
	}
	return auth;
}
