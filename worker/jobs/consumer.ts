import { Job } from '../contracts/jobs';
import { logError, logInfo } from '../lib/log';
import { checkCompletedInterview } from '../services/interviews';
import { purgeProjectFiles } from '../services/projects';
import { runReportJob } from '../services/reports';
import { transcribeUpload } from '../services/records';
import { deliverWebhook } from '../services/webhooks';

type Handler<T extends Job['type']> = (job: Extract<Job, { type: T }>, env: Env) => Promise<void>;

const handlers: { [T in Job['type']]: Handler<T> } = {
	'project.purge': async (job, env) => {
		await purgeProjectFiles(env, job.workspaceId, job.projectId);
	},
	'interview.completed': (job, env) => checkCompletedInterview(env, job),
	'report.generate': (job, env) => runReportJob(env, job),
	'record.transcribe': (job, env) => transcribeUpload(env, job),
	'webhook.deliver': (job, env) => deliverWebhook(env, job)
};

async function runJob(job: Job, env: Env): Promise<void> {
	const handler = handlers[job.type] as Handler<typeof job.type>;
	await handler(job, env);
}

/** The JOBS consumer: malformed messages are dropped with a log line, failures are retried by the queue. */
export async function handleJobBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
	for (const message of batch.messages) {
		const parsed = Job.safeParse(message.body);
		if (!parsed.success) {
			logError('job.malformed', parsed.error, { id: message.id });
			message.ack();
			continue;
		}
		try {
			await runJob(parsed.data, env);
			logInfo('job.done', { type: parsed.data.type, id: message.id });
			message.ack();
		} catch (error) {
			logError('job.failed', error, { type: parsed.data.type, id: message.id, attempts: message.attempts });
			message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
		}
	}
}
