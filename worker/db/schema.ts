import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { user } from './auth-schema';

export * from './auth-schema';

const id = () => text('id').primaryKey();
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () =>
	timestamp('created_at')
		.notNull()
		.$defaultFn(() => new Date());

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

export const INTERVIEWER_STATUSES = ['live', 'offline'] as const;

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
		reservedTokens: integer('reserved_tokens').notNull().default(0),
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

export const INTERVIEW_STATUSES = ['active', 'completed', 'abandoned'] as const;

/** One interview session; its live state is in its Durable Object, this row is the durable summary. */
export const interview = sqliteTable(
	'interview',
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
		linkId: text('link_id')
			.notNull()
			.references(() => link.id, { onDelete: 'cascade' }),
		respondentEmail: text('respondent_email'),
		resumeTokenHash: text('resume_token_hash'),
		status: text('status', { enum: INTERVIEW_STATUSES }).notNull().default('active'),
		provider: text('provider').notNull(),
		consentAt: timestamp('consent_at'),
		startedAt: timestamp('started_at').notNull(),
		deadlineAt: timestamp('deadline_at').notNull(),
		endedAt: timestamp('ended_at'),
		endReason: text('end_reason'),
		usedMs: integer('used_ms'),
		reservedTokens: integer('reserved_tokens').notNull().default(0),
		chargedTokens: integer('charged_tokens'),
		usage: text('usage', { mode: 'json' }),
		createdAt: createdAt()
	},
	(table) => [
		index('interview_link_idx').on(table.linkId, table.status),
		uniqueIndex('interview_active_respondent_unique')
			.on(table.linkId, table.respondentEmail)
			.where(sql`status = 'active' and respondent_email is not null`),
		uniqueIndex('interview_resume_unique').on(table.resumeTokenHash)
	]
);

/** What reports read: a completed interview, or an uploaded transcript or audio file. */
export const record = sqliteTable(
	'record',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		projectId: text('project_id')
			.notNull()
			.references(() => project.id, { onDelete: 'cascade' }),
		interviewId: text('interview_id').unique(),
		linkId: text('link_id'),
		source: text('source', { enum: ['interview', 'upload'] }).notNull(),
		title: text('title').notNull(),
		respondentEmail: text('respondent_email'),
		status: text('status', { enum: ['ready', 'processing', 'untranscribed', 'failed'] }).notNull(),
		durationMs: integer('duration_ms').notNull().default(0),
		wordCount: integer('word_count').notNull().default(0),
		turnCount: integer('turn_count').notNull().default(0),
		transcriptKey: text('transcript_key'),
		audioKey: text('audio_key'),
		notes: text('notes').notNull().default(''),
		tags: text('tags', { mode: 'json' })
			.$type<string[]>()
			.notNull()
			.default(sql`'[]'`),
		createdAt: createdAt(),
		deletedAt: timestamp('deleted_at')
	},
	(table) => [index('record_project_idx').on(table.workspaceId, table.projectId, table.createdAt)]
);

export const REPORT_KINDS = ['single', 'project'] as const;
export const REPORT_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;

/** A generated report; its structured content is JSON in R2 at `contentKey`, the row carries status and progress. */
export const report = sqliteTable(
	'report',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		projectId: text('project_id')
			.notNull()
			.references(() => project.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: REPORT_KINDS }).notNull(),
		status: text('status', { enum: REPORT_STATUSES }).notNull().default('queued'),
		recordIds: text('record_ids', { mode: 'json' }).$type<string[]>().notNull(),
		title: text('title').notNull(),
		generator: text('generator').notNull(),
		progress: integer('progress').notNull().default(0),
		summary: text('summary').notNull().default(''),
		error: text('error'),
		attempts: integer('attempts').notNull().default(0),
		contentKey: text('content_key'),
		createdBy: text('created_by'),
		createdAt: createdAt(),
		updatedAt: timestamp('updated_at')
			.notNull()
			.$defaultFn(() => new Date()),
		completedAt: timestamp('completed_at')
	},
	(table) => [index('report_project_idx').on(table.workspaceId, table.projectId, table.createdAt)]
);

/** Per-project settings of records and reports. */
export const projectReportSettings = sqliteTable('project_report_settings', {
	projectId: text('project_id')
		.primaryKey()
		.references(() => project.id, { onDelete: 'cascade' }),
	workspaceId: text('workspace_id')
		.notNull()
		.references(() => workspace.id, { onDelete: 'cascade' }),
	autoReport: integer('auto_report', { mode: 'boolean' }).notNull().default(false),
	updatedAt: timestamp('updated_at')
		.notNull()
		.$defaultFn(() => new Date())
});

/** Per-workspace preferences. `aiProvider` null means the deployment's default (AI_PROVIDER). */
export const workspaceSettings = sqliteTable('workspace_settings', {
	workspaceId: text('workspace_id')
		.primaryKey()
		.references(() => workspace.id, { onDelete: 'cascade' }),
	aiProvider: text('ai_provider', { enum: ['local', 'openai', 'workers-ai'] }),
	updatedAt: timestamp('updated_at')
		.notNull()
		.$defaultFn(() => new Date())
});

/**
 * A one-time code mailed to a respondent who wants to rejoin a multi-use interview from a browser
 * that does not hold its resume token. One live challenge per interview; tries and sends are capped.
 */
export const rejoinChallenge = sqliteTable('rejoin_challenge', {
	interviewId: text('interview_id')
		.primaryKey()
		.references(() => interview.id, { onDelete: 'cascade' }),
	codeHash: text('code_hash').notNull(),
	attempts: integer('attempts').notNull().default(0),
	sends: integer('sends').notNull().default(1),
	sentAt: timestamp('sent_at').notNull(),
	expiresAt: timestamp('expires_at').notNull()
});
