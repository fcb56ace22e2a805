import { Job } from '../contracts/jobs';

/** The JOBS producer: every job is validated against its contract before it is queued. */
export async function enqueueJob(env: Pick<Env, 'JOBS'>, job: Job): Promise<void> {
	await env.JOBS.send(Job.parse(job));
}
