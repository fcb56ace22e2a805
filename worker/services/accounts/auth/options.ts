import type { BetterAuthOptions } from 'better-auth';

/** The parts of the auth configuration that shape the database; shared by the runtime and the schema generator. */
export const authSchemaOptions = {
	emailAndPassword: { enabled: true },
	user: {
		additionalFields: {
			currentWorkspaceId: { type: 'string', required: false, input: false }
		}
	}
} satisfies Partial<BetterAuthOptions>;
