import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id } from './columns';
import { workspace } from './accounts';

/** Mail kept by the dev mailer, so local users and tests can follow reset and invite links. */
export const devOutbox = sqliteTable('dev_outbox', {
	id: id(),
	to: text('to').notNull(),
	subject: text('subject').notNull(),
	text: text('text').notNull(),
	createdAt: createdAt()
});

/** Money-moving requests replay their first response for the same Idempotency-Key. */
export const idempotencyKey = sqliteTable(
	'idempotency_key',
	{
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		scope: text('scope').notNull(),
		requestHash: text('request_hash').notNull(),
		status: integer('status'),
		responseBody: text('response_body'),
		createdAt: createdAt()
	},
	(table) => [primaryKey({ columns: [table.workspaceId, table.key] })]
);
