import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { workspace } from './accounts';
import { project } from './projects';
import { QUALITY_FLAGS, type QualityReason, type QualitySignals } from '../../contracts/quality';

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
		status: text('status', { enum: ['ready', 'processing', 'untranscribed', 'failed', 'empty'] }).notNull(),
		durationMs: integer('duration_ms').notNull().default(0),
		wordCount: integer('word_count').notNull().default(0),
		turnCount: integer('turn_count').notNull().default(0),
		transcriptKey: text('transcript_key'),
		audioKey: text('audio_key'),
		/** Which redaction passes ran over the transcript, and where its sealed original is when one was kept. */
		redaction: text('redaction', { mode: 'json' }).$type<{ passes: string[]; originalKey: string | null }>(),
		notes: text('notes').notNull().default(''),
		tags: text('tags', { mode: 'json' })
			.$type<string[]>()
			.notNull()
			.default(sql`'[]'`),
		createdAt: createdAt(),
		deletedAt: timestamp('deleted_at'),
		/** The flag computed when the record was made (null: made before quality was assessed, or still processing). */
		qualityFlag: text('quality_flag', { enum: QUALITY_FLAGS }),
		qualityReasons: text('quality_reasons', { mode: 'json' }).$type<QualityReason[]>(),
		qualitySignals: text('quality_signals', { mode: 'json' }).$type<QualitySignals>(),
		/** A researcher's flag, which wins over the computed one until it is cleared. */
		qualityOverride: text('quality_override', { enum: QUALITY_FLAGS }),
		qualityOverrideNote: text('quality_override_note'),
		qualityOverrideBy: text('quality_override_by'),
		qualityOverrideAt: timestamp('quality_override_at')
	},
	(table) => [
		index('record_project_idx').on(table.workspaceId, table.projectId, table.createdAt),
		index('record_project_email_idx').on(table.projectId, table.respondentEmail)
	]
);

/** Every override and clearing of a record's quality flag: who, when, what and why. */
export const recordQualityEvent = sqliteTable(
	'record_quality_event',
	{
		id: id(),
		recordId: text('record_id')
			.notNull()
			.references(() => record.id, { onDelete: 'cascade' }),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		action: text('action', { enum: ['override', 'clear'] }).notNull(),
		flag: text('flag', { enum: QUALITY_FLAGS }),
		note: text('note').notNull().default(''),
		actorId: text('actor_id'),
		actorName: text('actor_name').notNull().default(''),
		createdAt: createdAt()
	},
	(table) => [index('record_quality_event_record_idx').on(table.recordId, table.createdAt)]
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
		/** Project reports: how many low-quality records were left out, and whether they were asked for. */
		excludedLowQuality: integer('excluded_low_quality').notNull().default(0),
		includeLowQuality: integer('include_low_quality', { mode: 'boolean' }).notNull().default(false),
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

export const COVERAGE_STATUSES = ['pending', 'asked', 'answered', 'skipped'] as const;

/**
 * Where each guide question stood when an interview ended: a row per record and question, so a
 * record shows its checklist and a project counts, per question, how many interviews answered it.
 */
export const questionCoverage = sqliteTable(
	'question_coverage',
	{
		recordId: text('record_id')
			.notNull()
			.references(() => record.id, { onDelete: 'cascade' }),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		projectId: text('project_id')
			.notNull()
			.references(() => project.id, { onDelete: 'cascade' }),
		questionId: text('question_id').notNull(),
		position: integer('position').notNull(),
		question: text('question').notNull(),
		section: text('section').notNull(),
		required: integer('required', { mode: 'boolean' }).notNull(),
		status: text('status', { enum: COVERAGE_STATUSES }).notNull(),
		askedTurnId: text('asked_turn_id'),
		answeredTurnIds: text('answered_turn_ids', { mode: 'json' }).$type<string[]>().notNull(),
		seconds: integer('seconds').notNull()
	},
	(table) => [
		primaryKey({ columns: [table.recordId, table.questionId] }),
		index('question_coverage_project_idx').on(table.workspaceId, table.projectId, table.questionId)
	]
);
