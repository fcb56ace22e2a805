import { Job } from '../contracts/jobs';

/** The JOBS producer: every job is validated against its contract before it is queued (after `delaySeconds`, when given). */
export async function enqueueJob(env: Pick<Env, 'JOBS'>, job: Job, options: { delaySeconds?: number } = {}): Promise<void> {
	const checked = Job.parse(job);
	await (options.delaySeconds ? env.JOBS.send(checked, { delaySeconds: options.delaySeconds }) : env.JOBS.send(checked));
}
