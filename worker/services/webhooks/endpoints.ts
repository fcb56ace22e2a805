import { and, count, desc, eq } from 'drizzle-orm';
import {
	WEBHOOK_LIMITS,
	type DeliveriesPage,
	type Webhook,
	type WebhookDelivery,
	type WebhookEventType,
	type WebhookWithSecret
} from '../../contracts/webhooks';
import type { Database } from '../../db/client';
import { webhookDelivery, webhookEndpoint, webhookEvent } from '../../db/schema';
import { newId } from '../../lib/crypto';
import { afterCursor, pageOf } from '../../lib/cursor';
import { ApiError } from '../../lib/errors';
import { assertRole, type Principal } from '../../lib/principal';
import { enqueueJob } from '../../jobs/queue';
import { checkWebhookAddress, type Resolver } from './address';
import { addressPolicy } from './dns';
import { emitPing } from './events';
import { newSigningSecret } from './signing';
import { toDelivery, toWebhook } from './view';

type WebhookEnv = Pick<Env, 'DB' | 'JOBS' | 'PUBLIC_BASE_URL'>;

async function safeUrl(env: WebhookEnv, url: string, resolve?: Resolver): Promise<string> {
	const check = await checkWebhookAddress(url, addressPolicy(env, resolve));
	if (!check.ok) throw new ApiError('invalid_request', check.reason, { field: 'url' });
	return check.url.toString();
}

async function findEndpoint(db: Database, principal: Principal, webhookId: string) {
	assertRole(principal, 'admin', 'manage webhooks');
	const row = await db.query.webhookEndpoint.findFirst({
		where: and(eq(webhookEndpoint.id, webhookId), eq(webhookEndpoint.workspaceId, principal.workspaceId))
	});
	if (!row) throw new ApiError('not_found', 'Webhook not found.');
	return row;
}

export async function listWebhooks(db: Database, principal: Principal): Promise<Webhook[]> {
	assertRole(principal, 'admin', 'manage webhooks');
	const rows = await db
		.select()
		.from(webhookEndpoint)
		.where(eq(webhookEndpoint.workspaceId, principal.workspaceId))
		.orderBy(desc(webhookEndpoint.createdAt));
	return rows.map(toWebhook);
}

export async function createWebhook(
	env: WebhookEnv,
	db: Database,
	principal: Principal,
	input: { url: string; events: WebhookEventType[]; description?: string | undefined },
	resolve?: Resolver
): Promise<WebhookWithSecret> {
	assertRole(principal, 'admin', 'manage webhooks');
	const url = await safeUrl(env, input.url, resolve);
	const [existing] = await db.select({ n: count() }).from(webhookEndpoint).where(eq(webhookEndpoint.workspaceId, principal.workspaceId));
	if ((existing?.n ?? 0) >= WEBHOOK_LIMITS.perWorkspace) {
		throw new ApiError('conflict', `A workspace can have at most ${WEBHOOK_LIMITS.perWorkspace} webhook endpoints.`);
	}
	const now = new Date();
	const [row] = await db
		.insert(webhookEndpoint)
		.values({
			id: newId(),
			workspaceId: principal.workspaceId,
			url,
			description: input.description ?? '',
			events: input.events,
			secret: newSigningSecret(),
			createdBy: principal.userId,
			createdAt: now,
			updatedAt: now
		})
		.returning();
	if (!row) throw new Error('the webhook endpoint was not stored');
	return { ...toWebhook(row), secret: row.secret };
}

export async function updateWebhook(
	env: WebhookEnv,
	db: Database,
	principal: Principal,
	webhookId: string,
	patch: {
		url?: string | undefined;
		events?: WebhookEventType[] | undefined;
		description?: string | undefined;
		enabled?: boolean | undefined;
	},
	resolve?: Resolver
): Promise<Webhook> {
	const current = await findEndpoint(db, principal, webhookId);
	const url = patch.url === undefined ? undefined : await safeUrl(env, patch.url, resolve);
	const reenabled = patch.enabled === true && !current.enabled;
	const [row] = await db
		.update(webhookEndpoint)
		.set({
			...(url === undefined ? {} : { url }),
			...(patch.events === undefined ? {} : { events: patch.events }),
			...(patch.description === undefined ? {} : { description: patch.description }),
			...(patch.enabled === undefined ? {} : { enabled: patch.enabled, disabledReason: null }),
			// Switching an endpoint back on starts its three days afresh.
			...(reenabled ? { failingSince: null } : {}),
			updatedAt: new Date()
		})
		.where(eq(webhookEndpoint.id, current.id))
		.returning();
	if (!row) throw new ApiError('not_found', 'Webhook not found.');
	return toWebhook(row);
}

export async function deleteWebhook(db: Database, principal: Principal, webhookId: string): Promise<void> {
	const current = await findEndpoint(db, principal, webhookId);
	await db.delete(webhookEndpoint).where(eq(webhookEndpoint.id, current.id));
}

/** A new secret replaces the old one at once; it is shown in this answer only. */
export async function rollWebhookSecret(db: Database, principal: Principal, webhookId: string): Promise<WebhookWithSecret> {
	const current = await findEndpoint(db, principal, webhookId);
	const [row] = await db
		.update(webhookEndpoint)
		.set({ secret: newSigningSecret(), updatedAt: new Date() })
		.where(eq(webhookEndpoint.id, current.id))
		.returning();
	if (!row) throw new ApiError('not_found', 'Webhook not found.');
	return { ...toWebhook(row), secret: row.secret };
}

export async function sendTestEvent(env: WebhookEnv, db: Database, principal: Principal, webhookId: string): Promise<WebhookDelivery> {
	const current = await findEndpoint(db, principal, webhookId);
	if (!current.enabled) throw new ApiError('conflict', 'Switch the endpoint on before sending a test event.');
	const deliveryId = await emitPing(env, db, principal.workspaceId, current.id);
	return (await readDelivery(db, principal.workspaceId, current.id, deliveryId))!;
}

async function readDelivery(db: Database, workspaceId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery | null> {
	const [row] = await db
		.select({ delivery: webhookDelivery, type: webhookEvent.type })
		.from(webhookDelivery)
		.innerJoin(webhookEvent, eq(webhookEvent.id, webhookDelivery.eventId))
		.where(
			and(eq(webhookDelivery.id, deliveryId), eq(webhookDelivery.endpointId, endpointId), eq(webhookDelivery.workspaceId, workspaceId))
		);
	return row ? toDelivery(row.delivery, row.type) : null;
}

/** The deliveries of an endpoint, newest first, a page at a time (ties on the time ordered by id, so pages never overlap). */
export async function listDeliveries(
	db: Database,
	principal: Principal,
	webhookId: string,
	page: { limit: number; cursor?: string | undefined }
): Promise<DeliveriesPage> {
	const current = await findEndpoint(db, principal, webhookId);
	const rows = await db
		.select({ delivery: webhookDelivery, type: webhookEvent.type })
		.from(webhookDelivery)
		.innerJoin(webhookEvent, eq(webhookEvent.id, webhookDelivery.eventId))
		.where(and(eq(webhookDelivery.endpointId, current.id), afterCursor(webhookDelivery.createdAt, webhookDelivery.id, page.cursor)))
		.orderBy(desc(webhookDelivery.createdAt), desc(webhookDelivery.id))
		.limit(page.limit + 1);
	const shown = pageOf(rows, page.limit, (row) => row.delivery);
	return { deliveries: shown.rows.map((row) => toDelivery(row.delivery, row.type)), nextCursor: shown.nextCursor };
}

/** Posts an event again as a new delivery; it keeps the event's id, so receivers that saw it can tell. */
export async function redeliver(
	env: WebhookEnv,
	db: Database,
	principal: Principal,
	webhookId: string,
	deliveryId: string
): Promise<WebhookDelivery> {
	const current = await findEndpoint(db, principal, webhookId);
	if (!current.enabled) throw new ApiError('conflict', 'Switch the endpoint on before redelivering.');
	const original = await readDelivery(db, principal.workspaceId, current.id, deliveryId);
	if (!original) throw new ApiError('not_found', 'Delivery not found.');
	const id = `whd_${crypto.randomUUID().replaceAll('-', '')}`;
	await db
		.insert(webhookDelivery)
		.values({ id, workspaceId: principal.workspaceId, endpointId: current.id, eventId: original.eventId, nextAttemptAt: new Date() });
	await enqueueJob(env, { type: 'webhook.deliver', workspaceId: principal.workspaceId, deliveryId: id });
	return (await readDelivery(db, principal.workspaceId, current.id, id))!;
}
