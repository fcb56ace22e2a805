import type { Webhook, WebhookDelivery, WebhookEventType } from '../../contracts/webhooks';
import type { webhookDelivery, webhookEndpoint } from '../../db/schema';

type EndpointRow = typeof webhookEndpoint.$inferSelect;
type DeliveryRow = typeof webhookDelivery.$inferSelect;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toWebhook(row: EndpointRow): Webhook {
	return {
		id: row.id,
		url: row.url,
		description: row.description,
		events: row.events as WebhookEventType[],
		enabled: row.enabled,
		disabledReason: row.disabledReason === 'failing' ? 'failing' : null,
		failingSince: iso(row.failingSince),
		createdAt: row.createdAt.toISOString()
	};
}

export function toDelivery(row: DeliveryRow, eventType: string): WebhookDelivery {
	return {
		id: row.id,
		eventId: row.eventId,
		eventType,
		status: row.status,
		attempts: row.attempts,
		responseStatus: row.responseStatus,
		error: row.error,
		durationMs: row.durationMs,
		nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
		lastAttemptAt: iso(row.lastAttemptAt),
		createdAt: row.createdAt.toISOString()
	};
}
