import { logError, logInfo } from '../lib/log';
import { createDatabase } from '../db/client';
import { finalizeOverdueInterviews, forgetOldIdempotencyKeys } from '../services/interviews';
import { expireDueLinks } from '../services/links';
import { findUnpurgedProjects } from '../services/projects';
import { checkLowBalances, forgetOldDeliveries, requeueOverdueDeliveries } from '../services/webhooks';
import { enqueueJob } from './queue';

const PURGE_RETRY_AFTER_MS = 60 * 60 * 1000;

type Sweep = { name: string; run: (env: Env) => Promise<number> };

const sweeps: Sweep[] = [
	{ name: 'links.expire', run: (env) => expireDueLinks(env, createDatabase(env.DB)) },
	{ name: 'interviews.overdue', run: (env) => finalizeOverdueInterviews(env, createDatabase(env.DB)) },
	{ name: 'webhooks.requeue', run: (env) => requeueOverdueDeliveries(env) },
	{ name: 'webhooks.balance-low', run: (env) => checkLowBalances(env) },
	{ name: 'webhooks.forget', run: (env) => forgetOldDeliveries(env) },
	{ name: 'idempotency.forget', run: (env) => forgetOldIdempotencyKeys(createDatabase(env.DB)) },
	{
		name: 'project.purge.retry',
		async run(env) {
			const pending = await findUnpurgedProjects(env, PURGE_RETRY_AFTER_MS);
			await Promise.all(pending.map((row) => enqueueJob(env, { type: 'project.purge', ...row })));
			return pending.length;
		}
	}
];

/** The Cron Trigger: each sweep runs on its own, so one failing does not stop the rest. */
export async function runSweeps(_controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
	for (const sweep of sweeps) {
		try {
			const count = await sweep.run(env);
			logInfo('sweep.done', { sweep: sweep.name, count });
		} catch (error) {
			logError('sweep.failed', error, { sweep: sweep.name });
		}
	}
}
