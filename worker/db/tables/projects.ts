import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { workspace } from './accounts';

export const project = sqliteTable(
	'project',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		researchGoals: text('research_goals').notNull().default(''),
		interviewGuide: text('interview_guide', { mode: 'json' })
			.notNull()
			.default(sql`'{"sections":[]}'`),
		/** Personal data in transcripts is replaced with typed placeholders; on for every project unless turned off. */
		redactPersonalData: integer('redact_personal_data', { mode: 'boolean' }).notNull().default(true),
		/** Owners and admins keep the unredacted transcript beside the redacted one, sealed with the workspace's key. */
		keepOriginal: integer('keep_original', { mode: 'boolean' }).notNull().default(false),
		/** Screener questions a link can ask before consent (worker/contracts/screeners.ts). */
		screener: text('screener', { mode: 'json' })
			.notNull()
			.default(sql`'[]'`),
		createdBy: text('created_by').notNull(),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
			.notNull()
			.$defaultFn(() => new Date()),
		deletedAt: timestamp('deleted_at'),
		purgedAt: timestamp('purged_at')
	},
	(table) => [index('project_workspace_updated_idx').on(table.workspaceId, table.updatedAt)]
);
