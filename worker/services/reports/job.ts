import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { InterviewGuide } from '../../contracts/guide';
import { ReportContent, type StoredReport } from '../../contracts/reports';
import { createDatabase, type Database } from '../../db/client';
import { project, record, report } from '../../db/schema';
import { logError, logInfo } from '../../lib/log';
import { projectPrefix } from '../../lib/storage-keys';
import { readTranscript } from '../records';
import { redactUnprotected } from '../privacy';
import { organiseByCoverage } from './coverage';
import { ReportGenerationError } from './errors';
import { llmProjectReport, llmSingleReport } from './llm/llm';
import { localProjectReport, localSingleReport, type ReportContext } from './local';
import { workspaceProvider } from '../interviewers';
import { notifyReportSettled } from '../webhooks';

/** The `report.generate` job: queued → running → ready | failed, with progress in the row for the UI to poll. */

const STALE_RUNNING_MS = 5 * 60_000;

export const reportKey = (workspaceId: string, projectId: string, reportId: string) =>
	`${projectPrefix(workspaceId, projectId)}reports/${reportId}.json`;

async function setProgress(db: Database, reportId: string, progress: number) {
	await db
		.update(report)
		.set({ progress, updatedAt: new Date() })
		.where(and(eq(report.id, reportId), eq(report.status, 'running')));
}

async function loadContext(env: Env, db: Database, row: typeof report.$inferSelect): Promise<ReportContext> {
	const projectRow = await db.query.project.findFirst({
		where: and(eq(project.id, row.projectId), eq(project.workspaceId, row.workspaceId), isNull(project.deletedAt))
	});
	if (!projectRow) throw new ReportGenerationError('The project of this report was deleted.');
	const guide = InterviewGuide.safeParse(projectRow.interviewGuide);
	const records = [];
	const privacy = { redact: projectRow.redactPersonalData, keepOriginal: projectRow.keepOriginal };
	for (const recordId of row.recordIds) {
		const recordRow = await db.query.record.findFirst({
			where: and(eq(record.id, recordId), eq(record.workspaceId, row.workspaceId), isNull(record.deletedAt))
		});
		if (!recordRow) continue;
		// Records stored before redaction existed are redacted as they are read, so no prompt holds what the project redacts.
		const transcript = redactUnprotected(await readTranscript(env.FILES, recordRow), recordRow, privacy);
		records.push({ id: recordRow.id, title: recordRow.title, transcript });
	}
	if (records.length === 0) throw new ReportGenerationError('The records of this report were deleted.');
	return { researchGoals: projectRow.researchGoals, guide: guide.success ? guide.data : { sections: [] }, records };
}

export async function runReportJob(env: Env, job: { workspaceId: string; reportId: string }): Promise<void> {
	const db = createDatabase(env.DB);
	const now = new Date();
	const claimable = or(
		eq(report.status, 'queued'),
		and(eq(report.status, 'running'), lt(report.updatedAt, new Date(now.getTime() - STALE_RUNNING_MS)))
	);
	const provider = await workspaceProvider(env, db, job.workspaceId);
	const [row] = await db
		.update(report)
		.set({ status: 'running', progress: 10, generator: provider, updatedAt: now, attempts: sql`${report.attempts} + 1` })
		.where(and(eq(report.id, job.reportId), eq(report.workspaceId, job.workspaceId), claimable))
		.returning();
	if (!row) return;
	try {
		const context = await loadContext(env, db, row);
		await setProgress(db, row.id, 40);
		const content =
			provider === 'local'
				? row.kind === 'single'
					? localSingleReport(context)
					: localProjectReport(context)
				: row.kind === 'single'
					? await llmSingleReport(env, provider, context)
					: await llmProjectReport(env, provider, context);
		await setProgress(db, row.id, 80);
		const checked = ReportContent.safeParse(await organiseByCoverage(db, row.workspaceId, context, content));
		if (!checked.success) throw new ReportGenerationError('The generated report does not match the expected structure.');
		const document: StoredReport = {
			generator: provider,
			extractive: provider === 'local',
			generatedAt: new Date().toISOString(),
			records: context.records.map((source) => ({ id: source.id, title: source.title })),
			content: checked.data
		};
		const key = reportKey(row.workspaceId, row.projectId, row.id);
		await env.FILES.put(key, JSON.stringify(document), { httpMetadata: { contentType: 'application/json' } });
		const done = new Date();
		await db
			.update(report)
			.set({
				status: 'ready',
				progress: 100,
				summary: checked.data.summary.slice(0, 1000),
				contentKey: key,
				error: null,
				completedAt: done,
				updatedAt: done
			})
			.where(eq(report.id, row.id));
		logInfo('report.ready', { reportId: row.id, kind: row.kind, provider, records: context.records.length });
	} catch (error) {
		const message = error instanceof ReportGenerationError ? error.message : 'The report could not be generated.';
		logError('report.failed', error, { reportId: row.id, provider });
		await db.update(report).set({ status: 'failed', error: message, updatedAt: new Date() }).where(eq(report.id, row.id));
	}
	await notifyReportSettled(env, row.workspaceId, row.id);
}
