import { z } from 'zod';
import { NextCursor, PageQuery } from './pagination';

/** Outbound webhooks: endpoints, the events they receive, their deliveries and the balance threshold. */
export const WEBHOOK_EVENT_TYPES = [
	'interview.started',
	'interview.completed',
	'record.ready',
	'report.ready',
	'report.failed',
	'link.exhausted',
	'link.expired',
	'balance.low'
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;
/** Every type a delivery can carry: the subscribable events and the `ping` a test sends. */
export type WebhookDeliveryType = WebhookEventType | 'ping';

export const WEBHOOK_LIMITS = {
	urlChars: 2048,
	descriptionChars: 200,
	perWorkspace: 20
} as const;

const WebhookUrl = z.string().trim().min(1, 'Enter the URL.').max(WEBHOOK_LIMITS.urlChars);
const Events = z
	.array(WebhookEventType)
	.min(1, 'Choose at least one event.')
	.max(WEBHOOK_EVENT_TYPES.length)
	.transform((events) => [...new Set(events)]);

export const CreateWebhook = z.object({
	url: WebhookUrl,
	events: Events,
	description: z.string().trim().max(WEBHOOK_LIMITS.descriptionChars).optional()
});
export const UpdateWebhook = z
	.object({
		url: WebhookUrl.optional(),
		events: Events.optional(),
		description: z.string().trim().max(WEBHOOK_LIMITS.descriptionChars).optional(),
		enabled: z.boolean().optional()
	})
	.refine((patch) => Object.values(patch).some((value) => value !== undefined), 'Change at least one field.');

export const Webhook = z.object({
	id: z.string(),
	url: z.string(),
	description: z.string(),
	events: z.array(WebhookEventType),
	enabled: z.boolean(),
	/** `failing` when Parley switched it off after three days of failed deliveries. */
	disabledReason: z.enum(['failing']).nullable(),
	failingSince: z.string().nullable(),
	createdAt: z.string()
});
export type Webhook = z.infer<typeof Webhook>;
/** The signing secret appears only here: on creation and when it is rolled. */
export const WebhookWithSecret = Webhook.extend({ secret: z.string() });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const WebhookDelivery = z.object({
	id: z.string(),
	eventId: z.string(),
	eventType: z.string(),
	status: z.enum(['pending', 'delivered', 'failed']),
	attempts: z.number().int(),
	responseStatus: z.number().int().nullable(),
	error: z.string().nullable(),
	durationMs: z.number().int().nullable(),
	nextAttemptAt: z.string().nullable(),
	lastAttemptAt: z.string().nullable(),
	createdAt: z.string()
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** A page of deliveries, newest first; `nextCursor` asks for the next page, null on the last. */
export const DeliveriesQuery = PageQuery;
export const DeliveriesPage = z.object({ deliveries: z.array(WebhookDelivery), nextCursor: NextCursor });
export type DeliveriesPage = z.infer<typeof DeliveriesPage>;

export const WebhookSettings = z.object({ balanceLowThreshold: z.number().int().min(1).max(1_000_000_000).nullable() });
export type WebhookSettings = z.infer<typeof WebhookSettings>;

/** What every delivery posts: ids and URLs the API can fetch, never transcripts. */
export const WebhookEventBody = z.object({
	id: z.string(),
	type: z.string(),
	created: z.number().int(),
	workspaceId: z.string(),
	data: z.record(z.string(), z.unknown())
});
export type WebhookEventBody = z.infer<typeof WebhookEventBody>;
