// Static better-auth instance read only by `npm run db:auth-schema` to generate worker/db/auth-schema.ts.
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { authSchemaOptions } from '../worker/services/accounts';

export const auth = betterAuth({
	...authSchemaOptions,
	database: drizzleAdapter({}, { provider: 'sqlite' })
});
