import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './auth-schema';

export * from './auth-schema';

const id = () => text('id').primaryKey();
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => timestamp('created_at').notNull().$defaultFn(() => new Date());

export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const workspace = sqliteTable('workspace', {
	id: id(),
	name: text('name').notNull(),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at').notNull().$defaultFn(() => new Date())
});

export const membership = sqliteTable(
	'membership',
	{
		workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
		userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull(),
		createdAt: createdAt()
	},
	(table) => [primaryKey({ columns: [table.workspaceId, table.userId] }), index('membership_user_idx').on(table.userId)]
);

export const invitation = sqliteTable(
	'invitation',
	{
		id: id(),
		workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
		email: text('email').notNull(),
		role: text('role', { enum: ROLES }).notNull(),
		tokenHash: text('token_hash').notNull().unique(),
		invitedBy: text('invited_by').notNull(),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at').notNull(),
		acceptedAt: timestamp('accepted_at'),
		revokedAt: timestamp('revoked_at')
	},
	(table) => [index('invitation_workspace_idx').on(table.workspaceId)]
);

export const apiKey = sqliteTable(
	'api_key',
	{
		id: id(),
		workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		prefix: text('prefix').notNull(),
		role: text('role', { enum: ROLES }).notNull().default('member'),
		keyHash: text('key_hash').notNull().unique(),
		createdBy: text('created_by').notNull(),
		createdAt: createdAt(),
		lastUsedAt: timestamp('last_used_at'),
		revokedAt: timestamp('revoked_at')
	},
	(table) => [index('api_key_workspace_idx').on(table.workspaceId)]
);

export const project = sqliteTable(
	'project',
	{
		id: id(),
		workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		researchGoals: text('research_goals').notNull().default(''),
		interviewGuide: text('interview_guide', { mode: 'json' }).notNull().default(sql`'{"sections":[]}'`),
		createdBy: text('created_by').notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at').notNull().$defaultFn(() => new Date()),
		deletedAt: timestamp('deleted_at'),
		purgedAt: timestamp('purged_at')
	},
	(table) => [index('project_workspace_updated_idx').on(table.workspaceId, table.updatedAt)]
);

export const LEDGER_KINDS = ['grant', 'purchase', 'reserve', 'release', 'charge', 'refund'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One row per workspace; each ledger entry moves it in the same D1 batch. */
export const tokenBalance = sqliteTable(
	'token_balance',
	{
		workspaceId: text('workspace_id').primaryKey().references(() => workspace.id, { onDelete: 'cascade' }),
		available: integer('available').notNull().default(0),
		reserved: integer('reserved').notNull().default(0),
		updatedAt: timestamp('updated_at').notNull().$defaultFn(() => new Date())
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
		workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
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
		workspaceId: text('workspace_id').notNull().references(() => workspace.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		scope: text('scope').notNull(),
		requestHash: text('request_hash').notNull(),
		status: integer('status'),
		responseBody: text('response_body'),
		createdAt: createdAt()
	},
	(table) => [primaryKey({ columns: [table.workspaceId, table.key] })]
);
