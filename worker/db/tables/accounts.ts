import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { user } from '../auth-schema';

/** Workspaces, their members, invitations and API keys (better-auth's own tables are in ../auth-schema.ts). */
export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const workspace = sqliteTable('workspace', {
	id: id(),
	name: text('name').notNull(),
	createdAt: createdAt(),
	updatedAt: timestamp('updated_at')
		.notNull()
		.$defaultFn(() => new Date())
});

export const membership = sqliteTable(
	'membership',
	{
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull(),
		createdAt: createdAt()
	},
	(table) => [primaryKey({ columns: [table.workspaceId, table.userId] }), index('membership_user_idx').on(table.userId)]
);

export const invitation = sqliteTable(
	'invitation',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
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
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
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
