import { and, eq } from 'drizzle-orm';
import type { WebhookDeliveryType, WebhookEventType } from '../../contracts/webhooks';
import { createDatabase, runBatch, type Database } from '../../db/client';
import { webhookDelivery, webhookEndpoint, webhookEvent } from '../../db/schema';
import { sha256Hex } from '../../lib/crypto';
import { logError, logInfo } from '../../lib/log';
import { enqueueJob } from '../../jobs/queue';

type EmitEnv = Pick<Env, 'DB' | 'JOBS' | 'PUBLIC_BASE_URL'>;
type EventData = Record<string, unknown>;

const hashedId = async (prefix: string, ...parts: string[]) => `${prefix}${(await sha256Hex(parts.join('\u0000'))).slice(0, 32)}`;

/** A URL of the API, so receivers fetch what they need (with their API key) instead of getting it inline. */
export const apiUrl = (env: Pick<Env, 'PUBLIC_BASE_URL'>, path: string) => new URL(`/api${path}`, env.PUBLIC_BASE_URL).toString();

type StoredEvent = { id: string; type: WebhookDeliveryType; body: string };

function eventBody(id: string, type: WebhookDeliveryType, workspaceId: string, data: EventData, at: Date): string {
	return JSON.stringify({ id, type, created: Math.floor(at.getTime() / 1000), workspaceId, data });
}

async function queueDeliveries(env: EmitEnv, db: Database, workspaceId: string, event: StoredEvent, endpointIds: string[]) {
	const rows = await Promise.all(
		endpointIds.map(async (endpointId) => ({
			id: await hashedId('whd_', event.id, endpointId),
			workspaceId,
			endpointId,
			eventId: event.id,
			nextAttemptAt: new Date()
		}))
	);
	const insertEvent = db
		.insert(webhookEvent)
		.values({ id: event.id, workspaceId, type: event.type, body: event.body })
		.onConflictDoNothing();
	const results = await runBatch(db, [
		insertEvent,
		...rows.map((row) => db.insert(webhookDelivery).values(row).onConflictDoNothing().returning({ id: webhookDelivery.id }))
	]);
	const inserted = (results.slice(1) as { id: string }[][]).flat();
	await Promise.all(inserted.map((row) => enqueueJob(env, { type: 'webhook.deliver', workspaceId, deliveryId: row.id })));
	return inserted.map((row) => row.id);
}

/**
 * Emits an event to every enabled endpoint of the workspace that subscribed to its type. `key`
 * names what happened (an interview id, a report id): the event id is derived from it, so a job
 * that runs twice emits one event with one id, and receivers see it once however often it is
 * posted. It never throws: an event that cannot be stored is logged, and the caller's work stands.
 */
export async function emitWebhookEvent(
	env: EmitEnv,
	workspaceId: string,
	type: WebhookEventType,
	key: string,
	data: EventData
): Promise<void> {
	try {
		const db = createDatabase(env.DB);
		const endpoints = await db
			.select({ id: webhookEndpoint.id, events: webhookEndpoint.events })
			.from(webhookEndpoint)
			.where(and(eq(webhookEndpoint.workspaceId, workspaceId), eq(webhookEndpoint.enabled, true)));
		const subscribed = endpoints.filter((endpoint) => endpoint.events.includes(type)).map((endpoint) => endpoint.id);
		if (subscribed.length === 0) return;
		const id = await hashedId('evt_', workspaceId, type, key);
		const queued = await queueDeliveries(
			env,
			db,
			workspaceId,
			{ id, type, body: eventBody(id, type, workspaceId, data, new Date()) },
			subscribed
		);
		logInfo('webhook.emitted', { type, eventId: id, deliveries: queued.length });
	} catch (error) {
		logError('webhook.emit_failed', error, { type, workspaceId });
	}
}

/** A `ping` to one endpoint, with a fresh event id: what "Send test event" posts. */
export async function emitPing(env: EmitEnv, db: Database, workspaceId: string, endpointId: string): Promise<string> {
	const id = `evt_${crypto.randomUUID().replaceAll('-', '')}`;
	const body = eventBody(id, 'ping', workspaceId, { webhookId: endpointId, message: 'A test event from Parley.' }, new Date());
	const [deliveryId] = await queueDeliveries(env, db, workspaceId, { id, type: 'ping', body }, [endpointId]);
	if (!deliveryId) throw new Error('the ping delivery was not stored');
	return deliveryId;
}
