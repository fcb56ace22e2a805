import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns';
import { workspace } from './accounts';
import { interviewer, link } from './links';
import { project } from './projects';

export const INTERVIEW_STATUSES = ['active', 'completed', 'abandoned', 'empty'] as const;

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
		/** HMAC of the respondent's network address and browser (never the raw values), to spot duplicate respondents. */
		networkHash: text('network_hash'),
		/** The respondent's screener answers, as the questions read when they answered. */
		screenerAnswers: text('screener_answers', { mode: 'json' }),
		createdAt: createdAt()
	},
	(table) => [
		index('interview_project_network_idx').on(table.projectId, table.networkHash),
		index('interview_link_idx').on(table.linkId, table.status),
		uniqueIndex('interview_active_respondent_unique')
			.on(table.linkId, table.respondentEmail)
			.where(sql`status = 'active' and respondent_email is not null`),
		uniqueIndex('interview_resume_unique').on(table.resumeTokenHash)
	]
);
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
