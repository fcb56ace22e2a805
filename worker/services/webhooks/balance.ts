import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { WebhookSettings } from '../../contracts/webhooks';
import { createDatabase, type Database } from '../../db/client';
import { tokenBalance, webhookSettings } from '../../db/schema';
import { assertRole, type Principal } from '../../lib/principal';
import { apiUrl, emitWebhookEvent } from './events';

export async function getWebhookSettings(db: Database, principal: Principal): Promise<WebhookSettings> {
	assertRole(principal, 'admin', 'manage webhooks');
	const row = await db.query.webhookSettings.findFirst({ where: eq(webhookSettings.workspaceId, principal.workspaceId) });
	return { balanceLowThreshold: row?.balanceLowThreshold ?? null };
}

/** A new threshold re-arms `balance.low`: it fires the next time the balance is found below it. */
export async function updateWebhookSettings(db: Database, principal: Principal, input: WebhookSettings): Promise<WebhookSettings> {
	assertRole(principal, 'admin', 'manage webhooks');
	const values = { balanceLowThreshold: input.balanceLowThreshold, balanceLowSince: null };
	await db
		.insert(webhookSettings)
		.values({ workspaceId: principal.workspaceId, ...values })
		.onConflictDoUpdate({ target: webhookSettings.workspaceId, set: values });
	return { balanceLowThreshold: input.balanceLowThreshold };
}

/**
 * Emits `balance.low` once when the available balance is below the admin's threshold, and arms it
 * again when the balance is back at or above it. The guarded update makes concurrent checks fire once.
 */
export async function checkLowBalance(env: Pick<Env, 'DB' | 'JOBS' | 'PUBLIC_BASE_URL'>, workspaceId: string): Promise<boolean> {
	const db = createDatabase(env.DB);
	const settings = await db.query.webhookSettings.findFirst({ where: eq(webhookSettings.workspaceId, workspaceId) });
	if (!settings?.balanceLowThreshold) return false;
	const balance = await db.query.tokenBalance.findFirst({ where: eq(tokenBalance.workspaceId, workspaceId) });
	const available = balance?.available ?? 0;
	const threshold = settings.balanceLowThreshold;
	if (available >= threshold) {
		if (settings.balanceLowSince) {
			await db
				.update(webhookSettings)
				.set({ balanceLowSince: null })
				.where(and(eq(webhookSettings.workspaceId, workspaceId), isNotNull(webhookSettings.balanceLowSince)));
		}
		return false;
	}
	const now = new Date();
	const armed = await db
		.update(webhookSettings)
		.set({ balanceLowSince: now })
		.where(and(eq(webhookSettings.workspaceId, workspaceId), isNull(webhookSettings.balanceLowSince)))
		.returning({ workspaceId: webhookSettings.workspaceId });
	if (armed.length === 0) return false;
	await emitWebhookEvent(env, workspaceId, 'balance.low', `${now.getTime()}`, {
		available,
		threshold,
		balanceUrl: apiUrl(env, '/billing/balance')
	});
	return true;
}

/** The cron's look at every workspace with a threshold, so a low balance is noticed whatever spent it. */
export async function checkLowBalances(env: Pick<Env, 'DB' | 'JOBS' | 'PUBLIC_BASE_URL'>): Promise<number> {
	const db = createDatabase(env.DB);
	const rows = await db
		.select({ workspaceId: webhookSettings.workspaceId })
		.from(webhookSettings)
		.where(isNotNull(webhookSettings.balanceLowThreshold));
	let fired = 0;
	for (const row of rows) if (await checkLowBalance(env, row.workspaceId)) fired += 1;
	return fired;
}
