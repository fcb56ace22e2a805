import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { workspace } from './accounts';

export const LEDGER_KINDS = ['grant', 'purchase', 'reserve', 'release', 'charge', 'refund'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One row per workspace; each ledger entry moves it in the same D1 batch. */
export const tokenBalance = sqliteTable(
	'token_balance',
	{
		workspaceId: text('workspace_id')
			.primaryKey()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		available: integer('available').notNull().default(0),
		reserved: integer('reserved').notNull().default(0),
		updatedAt: timestamp('updated_at')
			.notNull()
			.$defaultFn(() => new Date())
	},
	(table) => [
		check('token_balance_available_non_negative', sql`${table.available} >= 0`),
		check('token_balance_reserved_non_negative', sql`${table.reserved} >= 0`)
	]
);

/** Append-only. The balance row always equals the sums of these deltas. */
export const ledgerEntry = sqliteTable(
	'ledger_entry',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
		availableDelta: integer('available_delta').notNull(),
		reservedDelta: integer('reserved_delta').notNull(),
		reference: text('reference'),
		note: text('note'),
		actorId: text('actor_id'),
		createdAt: createdAt()
	},
	(table) => [
		index('ledger_workspace_created_idx').on(table.workspaceId, table.createdAt),
		uniqueIndex('ledger_reference_unique').on(table.workspaceId, table.kind, table.reference)
	]
);
