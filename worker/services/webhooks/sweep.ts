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
