import { and, eq } from 'drizzle-orm';
import { createDatabase } from '../../db/client';
import { interview, link, record, report } from '../../db/schema';
import { checkLowBalance } from './balance';
import { apiUrl, emitWebhookEvent } from './events';

/**
 * What other domains call when something happened, one call each. Every payload carries ids and
 * API URLs the receiver can fetch with its API key, never transcripts or report content.
 */

type NotifyEnv = Pick<Env, 'DB' | 'JOBS' | 'PUBLIC_BASE_URL'>;
type LinkRow = typeof link.$inferSelect;
type RecordRow = typeof record.$inferSelect;

const iso = (date: Date | null) => date?.toISOString() ?? null;

function recordData(env: NotifyEnv, row: RecordRow) {
	return {
		recordId: row.id,
		projectId: row.projectId,
		interviewId: row.interviewId,
		source: row.source,
		status: row.status,
		recordUrl: apiUrl(env, `/records/${row.id}`),
		transcriptUrl: apiUrl(env, `/records/${row.id}/transcript?format=json`)
	};
}

function linkData(env: NotifyEnv, row: LinkRow) {
	return {
		linkId: row.id,
		projectId: row.projectId,
		interviewerId: row.interviewerId,
		kind: row.kind,
		name: row.name,
		uses: row.uses,
		maxUses: row.maxUses,
		expiresAt: iso(row.expiresAt),
		linksUrl: apiUrl(env, `/interviewers/${row.interviewerId}/links?tab=archived`)
	};
}

export async function notifyInterviewStarted(env: NotifyEnv, row: typeof interview.$inferSelect): Promise<void> {
	await emitWebhookEvent(env, row.workspaceId, 'interview.started', row.id, {
		interviewId: row.id,
		projectId: row.projectId,
		interviewerId: row.interviewerId,
		linkId: row.linkId,
		respondentEmail: row.respondentEmail,
		startedAt: iso(row.startedAt),
		deadlineAt: iso(row.deadlineAt),
		liveUrl: apiUrl(env, `/projects/${row.projectId}/interviews/live`)
	});
}

/**
 * After an interview's record is in place: `interview.completed` with the end reason, `record.ready`
 * when its transcript is, `link.exhausted` when it used the link's last use, and the balance check.
 */
export async function notifyInterviewEnded(env: NotifyEnv, job: { workspaceId: string; interviewId: string }): Promise<void> {
	const db = createDatabase(env.DB);
	const where = (id: string) => and(eq(interview.id, id), eq(interview.workspaceId, job.workspaceId));
	const ended = await db.query.interview.findFirst({ where: where(job.interviewId) });
	if (!ended) return;
	const recordRow = await db.query.record.findFirst({
		where: and(eq(record.interviewId, ended.id), eq(record.workspaceId, job.workspaceId))
	});
	await emitWebhookEvent(env, job.workspaceId, 'interview.completed', ended.id, {
		interviewId: ended.id,
		projectId: ended.projectId,
		interviewerId: ended.interviewerId,
		linkId: ended.linkId,
		status: ended.status,
		endReason: ended.endReason,
		respondentEmail: ended.respondentEmail,
		startedAt: iso(ended.startedAt),
		endedAt: iso(ended.endedAt),
		durationMs: ended.usedMs,
		recordId: recordRow?.id ?? null,
		recordUrl: recordRow ? apiUrl(env, `/records/${recordRow.id}`) : null
	});
	if (recordRow) await notifyRecordReady(env, recordRow);
	const linkRow = await db.query.link.findFirst({ where: and(eq(link.id, ended.linkId), eq(link.workspaceId, job.workspaceId)) });
	if (linkRow && linkRow.kind !== 'single' && linkRow.maxUses > 0 && linkRow.uses >= linkRow.maxUses && linkRow.status === 'completed') {
		await emitWebhookEvent(env, job.workspaceId, 'link.exhausted', linkRow.id, linkData(env, linkRow));
	}
	await checkLowBalance(env, job.workspaceId);
}

/** A record whose transcript is ready (an interview's, an uploaded transcript, a transcribed recording). */
export async function notifyRecordReady(env: NotifyEnv, row: RecordRow): Promise<void> {
	if (row.status !== 'ready') return;
	await emitWebhookEvent(env, row.workspaceId, 'record.ready', row.id, recordData(env, row));
}

/** The record, read again, once it may have become ready. */
export async function notifyRecordSettled(env: NotifyEnv, workspaceId: string, recordId: string): Promise<void> {
	const row = await createDatabase(env.DB).query.record.findFirst({
		where: and(eq(record.id, recordId), eq(record.workspaceId, workspaceId))
	});
	if (row) await notifyRecordReady(env, row);
}

/** A report that reached `ready` or `failed`; the key includes its attempt, so a report generated again notifies again. */
export async function notifyReportSettled(env: NotifyEnv, workspaceId: string, reportId: string): Promise<void> {
	const row = await createDatabase(env.DB).query.report.findFirst({
		where: and(eq(report.id, reportId), eq(report.workspaceId, workspaceId))
	});
	if (!row || (row.status !== 'ready' && row.status !== 'failed')) return;
	await emitWebhookEvent(env, workspaceId, row.status === 'ready' ? 'report.ready' : 'report.failed', `${row.id}:${row.attempts}`, {
		reportId: row.id,
		projectId: row.projectId,
		kind: row.kind,
		recordIds: row.recordIds,
		status: row.status,
		error: row.error,
		reportUrl: apiUrl(env, `/reports/${row.id}`)
	});
}

export async function notifyLinkExpired(env: NotifyEnv, row: LinkRow): Promise<void> {
	await emitWebhookEvent(env, row.workspaceId, 'link.expired', row.id, { ...linkData(env, row), status: 'expired' });
}
