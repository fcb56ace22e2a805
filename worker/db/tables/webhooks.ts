import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { workspace } from './accounts';

/** Outbound webhooks: where a workspace wants its events posted, the events, and each attempt to post one. */
export const webhookEndpoint = sqliteTable(
	'webhook_endpoint',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		url: text('url').notNull(),
		description: text('description').notNull().default(''),
		events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
		/** The signing secret: returned when created or rolled, never read back through the API. */
		secret: text('secret').notNull(),
		enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
		/** Why the endpoint was switched off by Parley rather than by an admin (`failing`), or null. */
		disabledReason: text('disabled_reason'),
		/** When deliveries started failing without a success since; three days of it disables the endpoint. */
		failingSince: timestamp('failing_since'),
		createdBy: text('created_by').notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
			.notNull()
			.$defaultFn(() => new Date())
	},
	(table) => [index('webhook_endpoint_workspace_idx').on(table.workspaceId)]
);

/** One event, once: its id is derived from what happened, so emitting the same thing twice adds nothing. */
export const webhookEvent = sqliteTable(
	'webhook_event',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		type: text('type').notNull(),
		/** The exact JSON body every delivery of the event posts, so signatures cover the same bytes each time. */
		body: text('body').notNull(),
		createdAt: createdAt()
	},
	(table) => [index('webhook_event_workspace_idx').on(table.workspaceId, table.createdAt)]
);

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const webhookDelivery = sqliteTable(
	'webhook_delivery',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		endpointId: text('endpoint_id')
			.notNull()
			.references(() => webhookEndpoint.id, { onDelete: 'cascade' }),
		eventId: text('event_id')
			.notNull()
			.references(() => webhookEvent.id, { onDelete: 'cascade' }),
		status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		responseStatus: integer('response_status'),
		error: text('error'),
		durationMs: integer('duration_ms'),
		nextAttemptAt: timestamp('next_attempt_at'),
		firstAttemptAt: timestamp('first_attempt_at'),
		lastAttemptAt: timestamp('last_attempt_at'),
		createdAt: createdAt()
	},
	(table) => [
		index('webhook_delivery_endpoint_idx').on(table.endpointId, table.createdAt),
		index('webhook_delivery_due_idx').on(table.status, table.nextAttemptAt)
	]
);

/** Per-workspace webhook settings: the balance below which `balance.low` fires, and whether it may fire again. */
export const webhookSettings = sqliteTable('webhook_settings', {
	workspaceId: text('workspace_id')
		.primaryKey()
		.references(() => workspace.id, { onDelete: 'cascade' }),
	balanceLowThreshold: integer('balance_low_threshold'),
	/** Set when `balance.low` fired; cleared once the balance is back at or above the threshold. */
	balanceLowSince: timestamp('balance_low_since')
});
