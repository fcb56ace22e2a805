import { z } from 'zod';
import { QuestionCoverageSummary } from './metrics';
import { CoverageStatus } from './protocol';

/** Reports: the structured content (validated before it is saved) and the API shapes. */

export const REPORT_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;
export const ReportStatus = z.enum(REPORT_STATUSES);
export const ReportKind = z.enum(['single', 'project']);

const text = (max = 4000) => z.string().max(max);

export const Quote = z.object({
	recordId: z.string(),
	turnId: z.string(),
	text: text(2000),
	atMs: z.number().int().nonnegative().nullable()
});
export type Quote = z.infer<typeof Quote>;

export const GoalFinding = z.object({ goal: text(1000), findings: z.array(text()).max(20) });
export const QuestionAnswers = z.object({
	questionId: z.string().nullable(),
	question: text(1000),
	answers: z.array(z.object({ recordId: z.string(), turnId: z.string(), text: text() })).max(100),
	/** Where the interview left the question (single reports of interviews with coverage). */
	status: CoverageStatus.optional()
});

export const Sentiment = z.object({ label: z.enum(['positive', 'neutral', 'negative', 'mixed']), explanation: text(1000) });

export const SingleReportContent = z.object({
	kind: z.literal('single'),
	summary: text(),
	findings: z.array(GoalFinding).max(20),
	answers: z.array(QuestionAnswers).max(100),
	quotes: z.array(Quote).max(30),
	sentiment: Sentiment,
	keyTerms: z
		.array(z.object({ term: z.string(), score: z.number() }))
		.max(40)
		.optional()
});
export type SingleReportContent = z.infer<typeof SingleReportContent>;

export const Theme = z.object({
	title: text(300),
	description: text(),
	recordCount: z.number().int().nonnegative(),
	quotes: z.array(Quote).max(10)
});
export const ProjectReportContent = z.object({
	kind: z.literal('project'),
	summary: text(),
	themes: z.array(Theme).max(20),
	findings: z.array(GoalFinding).max(20),
	contradictions: z.array(text()).max(20),
	outliers: z.array(text()).max(20),
	followUpQuestions: z.array(text(500)).max(20),
	answers: z.array(QuestionAnswers).max(100).optional(),
	coverage: z.array(QuestionCoverageSummary).max(200).optional(),
	keyTerms: z
		.array(z.object({ term: z.string(), score: z.number() }))
		.max(40)
		.optional()
});
export type ProjectReportContent = z.infer<typeof ProjectReportContent>;

export const ReportContent = z.discriminatedUnion('kind', [SingleReportContent, ProjectReportContent]);
export type ReportContent = z.infer<typeof ReportContent>;

/** The stored document: the content plus how it was made. `extractive` marks the local, non-AI report. */
export const StoredReport = z.object({
	generator: z.string(),
	extractive: z.boolean(),
	generatedAt: z.string(),
	records: z.array(z.object({ id: z.string(), title: z.string() })),
	content: ReportContent
});
export type StoredReport = z.infer<typeof StoredReport>;

export const ReportSummary = z.object({
	id: z.string(),
	projectId: z.string(),
	kind: ReportKind,
	status: ReportStatus,
	title: z.string(),
	recordIds: z.array(z.string()),
	generator: z.string(),
	progress: z.number().int(),
	summary: z.string(),
	error: z.string().nullable(),
	attempts: z.number().int(),
	createdAt: z.string(),
	updatedAt: z.string(),
	completedAt: z.string().nullable(),
	/** Project reports: whether low-quality records were asked for, and how many were left out. */
	includeLowQuality: z.boolean(),
	excludedLowQuality: z.number().int()
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const ReportDetail = ReportSummary.extend({ document: StoredReport.nullable() });
export type ReportDetail = z.infer<typeof ReportDetail>;

export const CreateProjectReport = z.object({
	recordIds: z.array(z.string().min(1).max(64)).min(1).max(200).optional(),
	/** Without chosen records, the report reads every record with a transcript but the low-quality ones, unless this is true. */
	includeLowQuality: z.boolean().optional()
});
export const ReportQuery = z.object({ format: z.enum(['json', 'md']).default('json') });
export const ReportSettings = z.object({ autoReport: z.boolean() });
export type ReportSettings = z.infer<typeof ReportSettings>;
