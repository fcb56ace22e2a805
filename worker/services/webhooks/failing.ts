import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { membership, user, webhookDelivery, webhookEndpoint } from '../../db/schema';
import { logInfo } from '../../lib/log';
import { createMailer } from '../accounts';

/** Deliveries are retried, and an endpoint may keep failing, for this long before Parley gives up. */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60 * 1000;

type EndpointRow = typeof webhookEndpoint.$inferSelect;

/**
 * Switches off an endpoint that has failed for three days and tells the workspace's admins once:
 * the guarded update lets only the first of concurrent attempts send the mail.
 */
export async function disableFailingEndpoint(env: Env, db: Database, endpoint: EndpointRow): Promise<void> {
	const result = await db
		.update(webhookEndpoint)
		.set({ enabled: false, disabledReason: 'failing', updatedAt: new Date() })
		.where(and(eq(webhookEndpoint.id, endpoint.id), eq(webhookEndpoint.enabled, true)))
		.returning({ id: webhookEndpoint.id });
	if (result.length === 0) return;
	await db
		.update(webhookDelivery)
		.set({ status: 'failed', error: 'The endpoint was disabled after three days of failures.', nextAttemptAt: null })
		.where(and(eq(webhookDelivery.endpointId, endpoint.id), eq(webhookDelivery.status, 'pending')));
	const admins = await db
		.select({ email: user.email })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.workspaceId, endpoint.workspaceId), inArray(membership.role, ['owner', 'admin'])));
	const mailer = createMailer(env);
	const settings = new URL('/settings?tab=webhooks', env.PUBLIC_BASE_URL).toString();
	for (const admin of admins) {
		await mailer.send({
			to: admin.email,
			subject: 'Parley disabled a webhook endpoint',
			text: [
				`Deliveries to ${endpoint.url} have failed for three days, so Parley stopped sending events there.`,
				`Fix the endpoint, then switch it back on in Settings → Webhooks: ${settings}`
			].join('\n\n')
		});
	}
	logInfo('webhook.disabled', { endpointId: endpoint.id, admins: admins.length });
}
