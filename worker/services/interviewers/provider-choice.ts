import { eq } from 'drizzle-orm';
import { availableProviders, capabilitiesOf, providerName, type ProviderName } from '../../ai/capabilities';
import type { AiSettings } from '../../contracts/providers';
import type { Database } from '../../db/client';
import { workspaceSettings } from '../../db/schema';
import { ApiError } from '../../lib/errors';
import { assertRole, type Principal } from '../../lib/principal';

type ProviderEnv = Parameters<typeof providerName>[0];

/** The provider a workspace's interviews, capability checks and reports use right now. */
export async function workspaceProvider(env: ProviderEnv, db: Database, workspaceId: string): Promise<ProviderName> {
	const row = await db.query.workspaceSettings.findFirst({ where: eq(workspaceSettings.workspaceId, workspaceId) });
	return providerName(env, row?.aiProvider ?? null);
}

export async function getAiSettings(env: ProviderEnv, db: Database, principal: Principal): Promise<AiSettings> {
	const row = await db.query.workspaceSettings.findFirst({ where: eq(workspaceSettings.workspaceId, principal.workspaceId) });
	const preference = row?.aiProvider ?? null;
	return {
		provider: providerName(env, preference),
		preference,
		available: availableProviders(env).map((name) => ({ name, label: capabilitiesOf(name).label }))
	};
}

/** Admins and owners pick the workspace's provider among those this deployment can run; null restores the default. */
export async function setAiProvider(
	env: ProviderEnv,
	db: Database,
	principal: Principal,
	provider: ProviderName | null
): Promise<AiSettings> {
	assertRole(principal, 'admin', 'choose the AI provider');
	if (provider && !availableProviders(env).includes(provider)) {
		throw new ApiError('unprocessable', `${capabilitiesOf(provider).label} is not set up on this server.`, {
			available: availableProviders(env)
		});
	}
	await db
		.insert(workspaceSettings)
		.values({ workspaceId: principal.workspaceId, aiProvider: provider, updatedAt: new Date() })
		.onConflictDoUpdate({ target: workspaceSettings.workspaceId, set: { aiProvider: provider, updatedAt: new Date() } });
	return getAiSettings(env, db, principal);
}
