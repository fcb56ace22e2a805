// `npm run deploy [-- --env staging|production] [--url <origin>] [--dry-run]`: from a fresh
// Cloudflare account to a working URL. It reads the account (read only), prints the plan, refuses
// with the exact command to run when the login, PUBLIC_BASE_URL or BETTER_AUTH_SECRET is missing,
// and only then creates the queues, builds, migrates the remote D1, deploys (wrangler creates D1,
// KV and R2 where missing) and calls /api/health. `--dry-run` stops after the plan.
// Tools are looked up on PATH (npm puts node_modules/.bin first), so tests can stand in fakes.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import {
	failureOf,
	listD1,
	listKv,
	listR2,
	listSecrets,
	queueState,
	readLogin,
	readWorkersDevSubdomain,
	type Listing,
	type Login,
	type Wrangler
} from './deploy-account.ts';
import {
	AUTH_SECRET,
	baseUrlProblem,
	envFlag,
	parseDeployArgs,
	secretProblem,
	secretPutCommand,
	varsSection,
	wranglerTarget,
	type DeployArgs
} from './deploy-checks.ts';
import { isLoopbackUrl } from '../worker/lib/origins.ts';
import { deploySteps, formatPlan, queueNames, resourcesOf, type Check, type DeployConfig, type State } from './deploy-plan.ts';
import { checkDeployedHealth, deployedUrlOf, nextSteps } from './deploy-report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PATH = [process.env.PATH, join(ROOT, 'node_modules/.bin')].filter(Boolean).join(delimiter);
const ENV = { ...process.env, PATH };

const wrangler: Wrangler = (args) => {
	const result = spawnSync('wrangler', args, { env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
};

/** Runs a step with its output shown as it comes, and returns what it printed on stdout. */
function runStep(command: string, args: string[]): Promise<{ ok: boolean; stdout: string; failure: string }> {
	return new Promise((done) => {
		const child = spawn(command, args, { env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			process.stdout.write(chunk);
		});
		child.on('error', (error) => done({ ok: false, stdout, failure: error.message }));
		child.on('close', (code, signal) => done({ ok: code === 0, stdout, failure: `exit ${code ?? signal}` }));
	});
}

/** `wrangler queues create`, where a queue that exists by now (made meanwhile) counts as created. */
function createQueue(args: string[]): { ok: boolean; stdout: string; failure: string } {
	const result = wrangler(args);
	process.stdout.write(result.stdout);
	const exists = /already exists|already taken|\b11009\b/i.test(result.stderr + result.stdout);
	if (!result.error && (result.status === 0 || exists)) return { ok: true, stdout: result.stdout, failure: '' };
	process.stderr.write(result.stderr);
	return { ok: false, stdout: result.stdout, failure: failureOf(result) };
}

function buildVersion(): string {
	const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
	const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
	return commit.status === 0 && commit.stdout.trim() ? `${version}+${commit.stdout.trim()}` : version;
}

function readDeployConfig(args: DeployArgs): DeployConfig & { workers_dev?: boolean; account_id?: string } {
	try {
		return unstable_readConfig({ config: args.config ?? 'wrangler.toml', env: args.env }, { hideWarnings: true });
	} catch (error) {
		const said = error instanceof Error ? error.message.split('\n')[0] : String(error);
		const which = args.env ? `[env.${args.env}]` : 'top-level';
		throw new Error(`Could not read the ${which} configuration (${said}). wrangler.toml defines staging and production.`, {
			cause: error
		});
	}
}

type Survey = { login: Login; d1: Listing; kv: Listing; r2: Listing; queues: Map<string, State>; secrets: Listing };

/** Everything the plan needs from the account, read only; nothing is read when nobody is logged in. */
function surveyAccount(args: DeployArgs, config: DeployConfig & { account_id?: string }): Survey {
	const target = wranglerTarget(args);
	const login = readLogin(wrangler, process.env.CLOUDFLARE_ACCOUNT_ID ?? config.account_id);
	const queues = queueNames(config);
	if (!login.loggedIn) {
		const unknown = { unknown: 'not logged in' };
		return { login, d1: unknown, kv: unknown, r2: unknown, queues: new Map(queues.map(({ name }) => [name, unknown])), secrets: unknown };
	}
	return {
		login,
		d1: listD1(wrangler, target),
		kv: listKv(wrangler, target),
		r2: listR2(wrangler, target),
		queues: new Map(queues.map(({ name }) => [name, queueState(wrangler, name, target)])),
		secrets: listSecrets(wrangler, target)
	};
}

/**
 * --url, else a non-empty PUBLIC_BASE_URL in the configuration, else the Worker's workers.dev
 * origin. The top level's loopback value is local development's, so a top-level deploy (the
 * Deploy to Cloudflare button's) takes the workers.dev origin instead.
 */
async function publicBaseUrlOf(args: DeployArgs, config: DeployConfig & { workers_dev?: boolean }, login: Login) {
	const configured = config.vars.PUBLIC_BASE_URL;
	const developmentDefault = !args.env && typeof configured === 'string' && isLoopbackUrl(configured);
	if (args.url) return { url: args.url, source: '--url' };
	if (typeof configured === 'string' && configured && !developmentDefault) return { url: configured, source: varsSection(args.env) };
	if (!login.loggedIn) return { url: undefined, source: 'the workers.dev subdomain, once logged in' };
	if (config.workers_dev === false) return { url: undefined, source: 'nowhere: workers_dev is off' };
	const subdomain = await readWorkersDevSubdomain(wrangler, login.account.id);
	if ('unknown' in subdomain) return { url: undefined, source: `the workers.dev subdomain, which is unknown: ${subdomain.unknown}` };
	return { url: `https://${config.name}.${subdomain.subdomain}`, source: "the account's workers.dev subdomain" };
}

/**
 * The top level's AI_PROVIDER = "local" is local development's offline interviewer. A top-level
 * deploy gets OpenAI instead, as staging and production do, which stays local until a key is set.
 */
function productionProvider(args: DeployArgs, config: DeployConfig): Record<string, string> {
	return !args.env && config.vars.AI_PROVIDER === 'local' ? { AI_PROVIDER: 'openai' } : {};
}

function checksOf(args: DeployArgs, survey: Survey, baseUrl: { url: string | undefined; source: string }): Check[] {
	const { login, secrets } = survey;
	const loginCheck: Check = login.loggedIn
		? { label: 'Cloudflare login', problem: null, detail: `account ${login.account.name} (${login.account.id})` }
		: { label: 'Cloudflare login', problem: login.reason, detail: '' };
	const urlCheck: Check =
		baseUrl.url || login.loggedIn
			? {
					label: 'PUBLIC_BASE_URL',
					problem: baseUrlProblem(baseUrl.url, args.env, `it comes from ${baseUrl.source}`),
					detail: `${baseUrl.url} (from ${baseUrl.source})`
				}
			: { label: 'PUBLIC_BASE_URL', problem: null, unknown: true, detail: `from ${baseUrl.source}` };
	const secretCheck: Check =
		'names' in secrets
			? { label: AUTH_SECRET, problem: secretProblem(secrets.names, args.env), detail: 'set as a Worker secret' }
			: login.loggedIn
				? {
						label: AUTH_SECRET,
						problem: `Could not list this Worker's secrets (${secrets.unknown}). Run \`npx wrangler secret list${envFlag(args.env)}\` to see why.`,
						detail: ''
					}
				: {
						label: AUTH_SECRET,
						problem: null,
						unknown: true,
						detail: `unknown until logged in; if it is not set yet, run \`${secretPutCommand(AUTH_SECRET, args.env)}\``
					};
	return [loginCheck, urlCheck, secretCheck];
}

async function main(): Promise<number> {
	let args: DeployArgs;
	let config: ReturnType<typeof readDeployConfig>;
	try {
		args = parseDeployArgs(process.argv.slice(2));
		config = readDeployConfig(args);
	} catch (error) {
		console.error(`Refusing to deploy:\n\n  ✖ ${error instanceof Error ? error.message : String(error)}\n`);
		return 1;
	}
	const survey = surveyAccount(args, config);
	const baseUrl = await publicBaseUrlOf(args, config, survey.login);
	const resources = resourcesOf(config, survey);
	const checks = checksOf(args, survey, baseUrl);
	const version = buildVersion();
	const steps = deploySteps(args, resources, {
		PUBLIC_BASE_URL: baseUrl.url ?? '<PUBLIC_BASE_URL>',
		BUILD_VERSION: version,
		...productionProvider(args, config)
	});
	const heading = `${args.dryRun ? 'Dry run: the deploy plan' : 'Deploy plan'} for the Worker "${config.name}" (${args.env ? `--env ${args.env}` : 'top level'}), version ${version}`;
	console.log(`${formatPlan(heading, resources, checks, steps, baseUrl.url ? `${baseUrl.url}/api/health` : null)}\n`);

	const problems = checks.flatMap((check) => (check.problem ? [check.problem] : []));
	const refusal = (lead: string) => `${lead}\n\n${problems.map((problem) => `  ✖ ${problem}`).join('\n\n')}\n`;
	if (args.dryRun) {
		console.log(
			problems.length
				? refusal('npm run deploy would stop here, before uploading anything:')
				: 'Ready: npm run deploy would run the steps above.'
		);
		console.log('Dry run: nothing on the account was changed.');
		return 0;
	}
	if (problems.length) {
		console.error(refusal('Refusing to deploy:'));
		return 1;
	}

	let deployOutput = '';
	for (const step of steps) {
		const [command, ...commandArgs] = step.command;
		console.log(`\n▶ ${step.command.join(' ')}`);
		const result = commandArgs[0] === 'queues' ? createQueue(commandArgs) : await runStep(command, commandArgs);
		if (!result.ok) {
			console.error(`\n✖ ${step.command.join(' ')} failed (${result.failure}); the steps after it did not run.`);
			return 1;
		}
		if (command === 'wrangler' && commandArgs[0] === 'deploy') deployOutput = result.stdout;
	}

	const appUrl = baseUrl.url!;
	const probeOrigin = deployedUrlOf(deployOutput) ?? appUrl;
	const health = await checkDeployedHealth(probeOrigin, version);
	const secrets = 'names' in survey.secrets ? survey.secrets.names : [];
	console.log(`\n✔ Parley is deployed at ${appUrl}`);
	console.log(`${health.ok ? '✔' : '✖'} ${probeOrigin}/api/health: ${health.summary}`);
	if (!health.ok)
		console.error(
			`\nThe deployed app did not report healthy with version ${version}. Watch it with \`npx wrangler tail${envFlag(args.env)}\`; roll back with \`npx wrangler rollback${envFlag(args.env)}\`.`
		);
	console.log(
		`\nNext steps:\n${nextSteps(args.env, appUrl, secrets)
			.map((step) => `  - ${step}`)
			.join('\n')}`
	);
	return health.ok ? 0 : 1;
}

process.exit(await main());
