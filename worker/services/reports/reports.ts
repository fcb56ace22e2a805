import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { PageQuery } from '../../contracts/pagination';
import type { ReportDetail, ReportSettings, ReportSummary } from '../../contracts/reports';
import { StoredReport } from '../../contracts/reports';
import type { Database } from '../../db/client';
import { projectReportSettings, record, report } from '../../db/schema';
import { enqueueJob } from '../../jobs/queue';
import { newId } from '../../lib/crypto';
import { afterCursor, pageOf } from '../../lib/cursor';
import { ApiError } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { findRecordRow, isLowQuality } from '../records';
import { workspaceProvider } from '../interviewers';

/** Reports of a project: create (queued for the JOBS consumer), list, read, retry, and the auto-report setting. */

export type ReportRow = typeof report.$inferSelect;
export type ReportEnv = Pick<Env, 'JOBS' | 'AI_PROVIDER' | 'OPENAI_API_KEY' | 'PUBLIC_BASE_URL'>;

export function toReportSummary(row: ReportRow): ReportSummary {
	return {
		id: row.id,
		projectId: row.projectId,
		kind: row.kind,
		status: row.status,
		title: row.title,
		recordIds: row.recordIds,
		generator: row.generator,
		progress: row.progress,
		summary: row.summary,
		error: row.error,
		attempts: row.attempts,
		createdAt: row.createdAt.toISOString(),
		updatedAt: row.updatedAt.toISOString(),
		completedAt: row.completedAt?.toISOString() ?? null,
		includeLowQuality: row.includeLowQuality,
		excludedLowQuality: row.excludedLowQuality
	};
}

async function queueReport(
	env: ReportEnv,
	db: Database,
	values: Omit<typeof report.$inferInsert, 'id' | 'generator'>
): Promise<ReportSummary> {
	const id = newId();
	const [row] = await db
		.insert(report)
		.values({ ...values, id, generator: await workspaceProvider(env, db, values.workspaceId) })
		.returning();
	await enqueueJob(env, { type: 'report.generate', workspaceId: values.workspaceId, reportId: id });
	return toReportSummary(row!);
}

export async function createRecordReport(env: ReportEnv, db: Database, principal: Principal, recordId: string): Promise<ReportSummary> {
	const row = await findRecordRow(db, principal, recordId);
	if (row.status !== 'ready') throw new ApiError('conflict', 'This record has no transcript to report on yet.');
	return queueReport(env, db, {
		workspaceId: principal.workspaceId,
		projectId: row.projectId,
		kind: 'single',
		recordIds: [row.id],
		title: row.title,
		createdBy: principal.userId
	});
}

export async function createProjectReport(
	env: ReportEnv,
	db: Database,
	principal: Principal,
	projectId: string,
	choice: { recordIds?: string[]; includeLowQuality?: boolean } = {}
): Promise<ReportSummary> {
	await findProjectRow(db, principal, projectId);
	const wanted = choice.recordIds ? [...new Set(choice.recordIds)] : undefined;
	const includeLowQuality = choice.includeLowQuality === true;
	const found = await db.query.record.findMany({
		where: and(
			eq(record.workspaceId, principal.workspaceId),
			eq(record.projectId, projectId),
			isNull(record.deletedAt),
			wanted ? inArray(record.id, wanted) : eq(record.status, 'ready')
		),
		extras: { lowQuality: sql<number>`${isLowQuality}`.as('low_quality') },
		orderBy: [record.createdAt, record.id]
	});
	if (wanted && found.length !== wanted.length) throw new ApiError('not_found', 'Some of these records were not found in this project.');
	if (found.some((row) => row.status !== 'ready')) throw new ApiError('conflict', 'Only records with a transcript can be reported on.');
	// Records a researcher chose go in as chosen; otherwise low-quality ones stay out unless asked for.
	const rows = wanted || includeLowQuality ? found : found.filter((row) => !row.lowQuality);
	const excludedLowQuality = found.length - rows.length;
	if (rows.length === 0 && excludedLowQuality > 0) {
		throw new ApiError(
			'conflict',
			`Every record with a transcript is flagged low quality (${excludedLowQuality}); include low-quality records to report on them.`
		);
	}
	if (rows.length === 0) throw new ApiError('conflict', 'This project has no records with a transcript yet.');
	const title = `Project report · ${rows.length} record${rows.length === 1 ? '' : 's'}`;
	return queueReport(env, db, {
		workspaceId: principal.workspaceId,
		projectId,
		kind: 'project',
		recordIds: rows.map((row) => row.id),
		title,
		createdBy: principal.userId,
		includeLowQuality,
		excludedLowQuality
	});
}

/** A page of a project's reports, newest first (ties by id). */
export async function listReports(
	db: Database,
	principal: Principal,
	projectId: string,
	page: PageQuery
): Promise<{ reports: ReportSummary[]; nextCursor: string | null }> {
	await findProjectRow(db, principal, projectId);
	const rows = await db.query.report.findMany({
		where: and(
			eq(report.workspaceId, principal.workspaceId),
			eq(report.projectId, projectId),
			afterCursor(report.createdAt, report.id, page.cursor)
		),
		orderBy: [desc(report.createdAt), desc(report.id)],
		limit: page.limit + 1
	});
	const shown = pageOf(rows, page.limit, (row) => row);
	return { reports: shown.rows.map(toReportSummary), nextCursor: shown.nextCursor };
}

export async function findReportRow(db: Database, principal: Principal, reportId: string): Promise<ReportRow> {
	const row = await db.query.report.findFirst({ where: and(eq(report.id, reportId), eq(report.workspaceId, principal.workspaceId)) });
	if (!row) throw new ApiError('not_found', 'Report not found.');
	await findProjectRow(db, principal, row.projectId);
	return row;
}

export async function getReport(db: Database, files: R2Bucket, principal: Principal, reportId: string): Promise<ReportDetail> {
	const row = await findReportRow(db, principal, reportId);
	let document: StoredReport | null = null;
	if (row.status === 'ready' && row.contentKey) {
		const object = await files.get(row.contentKey);
		const parsed = object ? StoredReport.safeParse(await object.json()) : null;
		document = parsed?.success ? parsed.data : null;
	}
	return { ...toReportSummary(row), document };
}

export async function retryReport(env: ReportEnv, db: Database, principal: Principal, reportId: string): Promise<ReportSummary> {
	const row = await findReportRow(db, principal, reportId);
	if (row.status !== 'failed') throw new ApiError('conflict', 'Only a failed report can be retried.');
	const [updated] = await db
		.update(report)
		.set({
			status: 'queued',
			error: null,
			progress: 0,
			generator: await workspaceProvider(env, db, principal.workspaceId),
			updatedAt: new Date()
		})
		.where(and(eq(report.id, row.id), eq(report.workspaceId, principal.workspaceId), eq(report.status, 'failed')))
		.returning();
	if (!updated) throw new ApiError('conflict', 'Only a failed report can be retried.');
	await enqueueJob(env, { type: 'report.generate', workspaceId: principal.workspaceId, reportId: row.id });
	return toReportSummary(updated);
}

export async function deleteReport(db: Database, files: R2Bucket, principal: Principal, reportId: string): Promise<void> {
	const row = await findReportRow(db, principal, reportId);
	if (row.contentKey) await files.delete(row.contentKey);
	await db.delete(report).where(and(eq(report.id, row.id), eq(report.workspaceId, principal.workspaceId)));
}

export async function getReportSettings(db: Database, principal: Principal, projectId: string): Promise<ReportSettings> {
	await findProjectRow(db, principal, projectId);
	const row = await db.query.projectReportSettings.findFirst({
		where: and(eq(projectReportSettings.projectId, projectId), eq(projectReportSettings.workspaceId, principal.workspaceId))
	});
	return { autoReport: row?.autoReport ?? false };
}

export async function updateReportSettings(
	db: Database,
	principal: Principal,
	projectId: string,
	settings: ReportSettings
): Promise<ReportSettings> {
	await findProjectRow(db, principal, projectId);
	await db
		.insert(projectReportSettings)
		.values({ projectId, workspaceId: principal.workspaceId, autoReport: settings.autoReport })
		.onConflictDoUpdate({ target: projectReportSettings.projectId, set: { autoReport: settings.autoReport, updatedAt: new Date() } });
	return getReportSettings(db, principal, projectId);
}

/** After an interview completes: queue its single report when the project asks for it, once per record, unless it is low quality. */
export async function queueAutoReport(env: ReportEnv, db: Database, row: typeof record.$inferSelect): Promise<boolean> {
	if (row.status !== 'ready') return false;
	// A low-quality interview is not worth a report's tokens unless a researcher asks for one.
	if ((row.qualityOverride ?? row.qualityFlag) === 'low_quality') return false;
	const settings = await db.query.projectReportSettings.findFirst({
		where: and(eq(projectReportSettings.projectId, row.projectId), eq(projectReportSettings.workspaceId, row.workspaceId))
	});
	if (!settings?.autoReport) return false;
	const existing = await db.query.report.findFirst({
		where: and(eq(report.workspaceId, row.workspaceId), eq(report.kind, 'single'), sql`${report.recordIds} = ${JSON.stringify([row.id])}`)
	});
	if (existing) return false;
	await queueReport(env, db, {
		workspaceId: row.workspaceId,
		projectId: row.projectId,
		kind: 'single',
		recordIds: [row.id],
		title: row.title,
		createdBy: null
	});
	return true;
}
