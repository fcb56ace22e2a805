// The deploy plan: which resources the environment needs (read from its wrangler configuration),
// whether each exists, who creates what is missing, the checks and the commands, in order.
import type { Listing } from './deploy-account.ts';
import { wranglerTarget, type DeployArgs } from './deploy-checks.ts';

/** The parts of wrangler's resolved configuration the plan reads. */
export type DeployConfig = {
	name?: string;
	d1_databases: { binding: string; database_name?: string; database_id?: string }[];
	kv_namespaces: { binding: string; id?: string }[];
	r2_buckets: { binding: string; bucket_name?: string }[];
	queues: { producers?: { binding: string; queue: string }[]; consumers?: { queue: string; dead_letter_queue?: string }[] };
	vars: Record<string, unknown>;
};

export type State = 'exists' | 'missing' | { unknown: string };
export type Resource = { kind: 'D1 database' | 'KV namespace' | 'R2 bucket' | 'Queue'; name: string; role: string; state: State };
export type Inventory = { d1: Listing; kv: Listing; r2: Listing; queues: Map<string, State> };

const stateIn = (listing: Listing, name: string): State =>
	'names' in listing ? (listing.names.includes(name) ? 'exists' : 'missing') : { unknown: listing.unknown };

/** The KV title wrangler gives a namespace it provisions for a binding without an id. */
export const provisionedName = (worker: string, binding: string) => `${worker}-${binding.toLowerCase().replaceAll('_', '-')}`;

/** Every queue the Worker produces to, consumes from or dead-letters to, once each. */
export function queueNames(config: DeployConfig): { name: string; role: string }[] {
	const names = new Map<string, string>();
	for (const producer of config.queues.producers ?? []) names.set(producer.queue, producer.binding);
	for (const consumer of config.queues.consumers ?? []) {
		if (!names.has(consumer.queue)) names.set(consumer.queue, 'consumer');
		if (consumer.dead_letter_queue) names.set(consumer.dead_letter_queue, 'dead letters');
	}
	return [...names].map(([name, role]) => ({ name, role }));
}

export function resourcesOf(config: DeployConfig, inventory: Inventory): Resource[] {
	const worker = config.name ?? 'worker';
	return [
		...config.d1_databases.map((db): Resource => {
			const name = db.database_name ?? provisionedName(worker, db.binding);
			return { kind: 'D1 database', name, role: db.binding, state: db.database_id ? 'exists' : stateIn(inventory.d1, name) };
		}),
		...config.kv_namespaces.map((kv): Resource => {
			const name = kv.id ?? provisionedName(worker, kv.binding);
			return { kind: 'KV namespace', name, role: kv.binding, state: kv.id ? 'exists' : stateIn(inventory.kv, name) };
		}),
		...config.r2_buckets.map((r2): Resource => {
			const name = r2.bucket_name ?? provisionedName(worker, r2.binding);
			return { kind: 'R2 bucket', name, role: r2.binding, state: stateIn(inventory.r2, name) };
		}),
		...queueNames(config).map(({ name, role }): Resource => ({
			kind: 'Queue',
			name,
			role,
			state: inventory.queues.get(name) ?? { unknown: 'not read' }
		}))
	];
}

export type Step = { command: [string, ...string[]]; why: string };

/**
 * The commands of a deployment that passed its checks. Missing queues are created first (wrangler
 * does not create a dead-letter queue). An existing database is migrated before the upload, so
 * new code never runs on an old schema; a new one exists only once `wrangler deploy` has created
 * it, so it is migrated right after, before anyone can have an account on it.
 */
/** `vars` are given to `wrangler deploy` as `--var NAME:value`, over the configuration's. */
export function deploySteps(args: DeployArgs, resources: Resource[], vars: Record<string, string>): Step[] {
	const target = wranglerTarget(args);
	const queues = resources
		.filter((resource) => resource.kind === 'Queue' && resource.state !== 'exists')
		.map((queue): Step => ({
			command: ['wrangler', 'queues', 'create', queue.name, ...target],
			why: `create the queue ${queue.name}${queue.state === 'missing' ? '' : ' if missing'}`
		}));
	const migrate: Step = { command: ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--remote', ...target], why: 'apply the D1 migrations' };
	const deploy: Step = {
		command: ['wrangler', 'deploy', ...target, ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])],
		why: 'upload the Worker (creating D1, KV and R2 where missing)'
	};
	const databaseExists = resources.some((resource) => resource.kind === 'D1 database' && resource.state === 'exists');
	const build: Step[] = [
		{ command: ['vite', 'build'], why: 'build the web app' },
		{ command: ['vite', 'build', '--config', 'vite.respondent.config.ts'], why: "build the respondent page's own entry" }
	];
	return [...queues, ...build, ...(databaseExists ? [migrate, deploy] : [deploy, migrate])];
}

function stateText(resource: Resource): string {
	if (resource.state === 'exists') return 'exists';
	const creator = resource.kind === 'Queue' ? 'npm run deploy' : 'wrangler deploy';
	if (resource.state === 'missing') return `missing: ${creator} creates it`;
	return `unknown (${resource.state.unknown}): ${creator} creates it if missing`;
}

const MARK = { exists: '✔', missing: '+', unknown: '?' } as const;

/** A check before the upload: a problem stops the deploy; unknown means it cannot be read yet (not logged in). */
export type Check = { label: string; problem: string | null; detail: string; unknown?: boolean };

/** The plan as printed: resources, checks, then the steps a deploy runs. */
export function formatPlan(
	heading: string,
	resources: Resource[],
	checks: Check[],
	steps: Step[] | null,
	healthUrl: string | null
): string {
	const width = Math.max(...resources.map((resource) => `${resource.kind} "${resource.name}" (${resource.role})`.length));
	const lines = [heading, '', 'Resources:'];
	for (const resource of resources) {
		const mark = MARK[typeof resource.state === 'string' ? resource.state : 'unknown'];
		lines.push(`  ${mark} ${`${resource.kind} "${resource.name}" (${resource.role})`.padEnd(width)}  ${stateText(resource)}`);
	}
	lines.push('', 'Checks:');
	for (const check of checks)
		lines.push(`  ${check.problem ? '✖' : check.unknown ? '?' : '✔'} ${check.label}: ${check.problem ?? check.detail}`);
	if (steps) {
		lines.push('', 'Steps:');
		steps.forEach((step, index) => lines.push(`  ${index + 1}. ${step.command.join(' ')}    # ${step.why}`));
		if (healthUrl) lines.push(`  ${steps.length + 1}. GET ${healthUrl}    # check the deployed app`);
	}
	return lines.join('\n');
}
