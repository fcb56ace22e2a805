import { and, asc, eq, lt } from 'drizzle-orm';
import { createDatabase } from '../../db/client';
import { webhookDelivery } from '../../db/schema';
import { enqueueJob } from '../../jobs/queue';

/** A delivery this far past its time has lost its queue message (or the attempt's worker died). */
const OVERDUE_MS = 5 * 60 * 1000;
const PER_SWEEP = 200;

/** Queues again the deliveries whose message never came, so every event is delivered at least once. */
export async function requeueOverdueDeliveries(env: Pick<Env, 'DB' | 'JOBS'>): Promise<number> {
	const db = createDatabase(env.DB);
	const overdue = await db
		.select({ id: webhookDelivery.id, workspaceId: webhookDelivery.workspaceId })
		.from(webhookDelivery)
		.where(and(eq(webhookDelivery.status, 'pending'), lt(webhookDelivery.nextAttemptAt, new Date(Date.now() - OVERDUE_MS))))
		.orderBy(asc(webhookDelivery.nextAttemptAt))
		.limit(PER_SWEEP);
	await Promise.all(overdue.map((row) => enqueueJob(env, { type: 'webhook.deliver', workspaceId: row.workspaceId, deliveryId: row.id })));
	return overdue.length;
}

/** Delivery history is kept for 30 days; older settled deliveries, and events none still points at, are deleted. */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export async function forgetOldDeliveries(env: Pick<Env, 'DB'>): Promise<number> {
	const cutoff = Date.now() - KEEP_MS;
	const [deliveries] = await env.DB.batch([
		env.DB.prepare(
			`DELETE FROM webhook_delivery WHERE id IN (
			   SELECT id FROM webhook_delivery WHERE status <> 'pending' AND created_at < ?1 LIMIT 1000)`
		).bind(cutoff),
		env.DB.prepare(
			`DELETE FROM webhook_event WHERE id IN (
			   SELECT id FROM webhook_event WHERE created_at < ?1
			     AND NOT EXISTS (SELECT 1 FROM webhook_delivery WHERE webhook_delivery.event_id = webhook_event.id) LIMIT 1000)`
		).bind(cutoff)
	]);
	return deliveries?.meta.changes ?? 0;
}
