import { and, eq } from 'drizzle-orm';
import { createDatabase } from '../../db/client';
import { record } from '../../db/schema';
import { logInfo } from '../../lib/log';
import { queueAutoReport } from '../reports';
import { notifyInterviewEnded } from '../webhooks';

/**
 * Follow-up of a completed interview. It confirms the record and its transcript are in place;
 * throwing makes the queue retry, so a completion that half-failed is noticed and retried.
 * When the project asks for it, the record's report is queued (once).
 */
export async function checkCompletedInterview(env: Env, job: { workspaceId: string; interviewId: string }): Promise<void> {
	const db = createDatabase(env.DB);
	const row = await db.query.record.findFirst({
		where: and(eq(record.workspaceId, job.workspaceId), eq(record.interviewId, job.interviewId))
	});
	if (!row) throw new Error(`interview ${job.interviewId} has no record yet`);
	if (row.transcriptKey && !(await env.FILES.head(row.transcriptKey))) throw new Error(`record ${row.id} has no transcript in R2`);
	const autoReport = await queueAutoReport(env, db, row);
	await notifyInterviewEnded(env, job);
	logInfo('interview.followup', { interviewId: job.interviewId, recordId: row.id, turns: row.turnCount, autoReport });
}
