import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id } from './columns';
import { workspace } from './accounts';
import { interview } from './interviews';
import { link } from './links';
import { project } from './projects';

/**
 * A cap on the respondents of one screener segment: an option of a choice question, or a range of a
 * number question. On a link (`link_id`) or the whole project (null). Its fill is counted from
 * `interview_quota`, inside the batch that admits an interview, so it is never exceeded.
 */
export const quota = sqliteTable(
	'quota',
	{
		id: id(),
		workspaceId: text('workspace_id')
			.notNull()
			.references(() => workspace.id, { onDelete: 'cascade' }),
		projectId: text('project_id')
			.notNull()
			.references(() => project.id, { onDelete: 'cascade' }),
		linkId: text('link_id').references(() => link.id, { onDelete: 'cascade' }),
		questionId: text('question_id').notNull(),
		optionId: text('option_id'),
		min: real('min'),
		max: real('max'),
		cap: integer('cap').notNull(),
		createdAt: createdAt()
	},
	(table) => [index('quota_project_idx').on(table.projectId, table.linkId)]
);

/** Which quotas an admitted interview counts towards (written in its admission batch). */
export const interviewQuota = sqliteTable(
	'interview_quota',
	{
		interviewId: text('interview_id')
			.notNull()
			.references(() => interview.id, { onDelete: 'cascade' }),
		quotaId: text('quota_id')
			.notNull()
			.references(() => quota.id, { onDelete: 'cascade' })
	},
	(table) => [primaryKey({ columns: [table.quotaId, table.interviewId] })]
);
