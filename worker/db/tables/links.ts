import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { workspace } from './accounts';
import { project } from './projects';

export const INTERVIEWER_STATUSES = ['live', 'offline'] as const;
/** How long the interviewer waits before taking a pause for the end of an answer. */
export const PATIENCE_LEVELS = ['patient', 'normal', 'quick'] as const;

export const interviewer = sqliteTable(
	'interviewer',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		projectId: text('project_id')
			.notNull()
			.references(() => project.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		status: text('status', { enum: INTERVIEWER_STATUSES }).notNull().default('live'),
		voice: text('voice').notNull(),
		language: text('language').notNull().default('auto'),
		durationMinutes: integer('duration_minutes').notNull(),
		topics: text('topics', { mode: 'json' })
			.$type<string[]>()
			.notNull()
			.default(sql`'[]'`),
		instructions: text('instructions').notNull().default(''),
		patience: text('patience', { enum: PATIENCE_LEVELS }).notNull().default('patient'),
		/** Open private links; the CHECK makes a batch that would open a 51st one fail as a whole. */
		openPrivateLinks: integer('open_private_links').notNull().default(0),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
			.notNull()
			.$defaultFn(() => new Date())
	},
	(table) => [
		index('interviewer_project_idx').on(table.workspaceId, table.projectId),
		check('interviewer_open_private_links_cap', sql`${table.openPrivateLinks} >= 0 and ${table.openPrivateLinks} <= 50`)
	]
);

export const LINK_KINDS = ['single', 'public', 'private'] as const;
export const LINK_STATUSES = ['pending', 'active', 'completed', 'expired', 'cancelled', 'deleted'] as const;

/**
 * A shareable link. `uses` counts interviews admitted; the guarded increment of `uses` is what
 * enforces `maxUses` under concurrency. Status is authoritative here, never in KV.
 */
export const link = sqliteTable(
	'link',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		projectId: text('project_id')
			.notNull()
			.references(() => project.id, { onDelete: 'cascade' }),
		interviewerId: text('interviewer_id')
			.notNull()
			.references(() => interviewer.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: LINK_KINDS }).notNull(),
		name: text('name').notNull().default(''),
		token: text('token').notNull().unique(),
		status: text('status', { enum: LINK_STATUSES }).notNull().default('pending'),
		enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
		askEmail: integer('ask_email', { mode: 'boolean' }).notNull().default(true),
		maxUses: integer('max_uses').notNull(),
		uses: integer('uses').notNull().default(0),
		completedUses: integer('completed_uses').notNull().default(0),
		durationMinutes: integer('duration_minutes').notNull(),
		voice: text('voice'),
		language: text('language'),
		topics: text('topics', { mode: 'json' }).$type<string[]>(),
		context: text('context').notNull().default(''),
		/** Origins of the websites that may frame this link's embed page (public and private links). */
		allowedOrigins: text('allowed_origins', { mode: 'json' })
			.$type<string[]>()
			.notNull()
			.default(sql`'[]'`),
		reservedTokens: integer('reserved_tokens').notNull().default(0),
		/** Whether respondents answer the project's screener before consent. */
		screenerEnabled: integer('screener_enabled', { mode: 'boolean' }).notNull().default(false),
		/** Respondents the screener turned away (they wrote nothing else). */
		screenedOut: integer('screened_out').notNull().default(0),
		expiresAt: timestamp('expires_at'),
		lastInterviewAt: timestamp('last_interview_at'),
		createdBy: text('created_by').notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
			.notNull()
			.$defaultFn(() => new Date())
	},
	(table) => [
		index('link_interviewer_idx').on(table.workspaceId, table.interviewerId, table.status),
		index('link_expiry_idx').on(table.status, table.expiresAt),
		check('link_uses_within_cap', sql`${table.maxUses} = 0 or ${table.uses} <= ${table.maxUses}`)
	]
);
