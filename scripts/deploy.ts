// `npm run deploy [-- --env <name>]`: refuses a deployment that would run on loopback settings or
// without BETTER_AUTH_SECRET, and only then builds, applies the remote D1 migrations and deploys.
// Tools are looked up on PATH (npm puts node_modules/.bin first), so tests can stand in fakes.
import { spawnSync } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import {
	baseUrlProblem,
	deploySteps,
	parseDeployArgs,
	parseSecretList,
	secretProblem,
	wranglerTarget,
	type DeployArgs
} from './deploy-checks.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PATH = [process.env.PATH, join(ROOT, 'node_modules/.bin')].filter(Boolean).join(delimiter);

function run(command: string, args: string[], capture = false) {
	return spawnSync(command, args, {
		cwd: process.cwd(),
		env: { ...process.env, PATH },
		encoding: 'utf8',
		stdio: capture ? ['inherit', 'pipe', 'pipe'] : 'inherit'
	});
}

function publicBaseUrlOf(args: DeployArgs): string | undefined {
	const config = unstable_readConfig({ config: args.config ?? 'wrangler.toml', env: args.env }, { hideWarnings: true });
	const value = (config.vars as Record<string, unknown>).PUBLIC_BASE_URL;
	return typeof value === 'string' ? value : undefined;
}

function secretNamesOf(args: DeployArgs): string[] | string {
	const listed = run('wrangler', ['secret', 'list', '--format', 'json', ...wranglerTarget(args)], true);
	const failure = `Could not list this Worker's secrets (wrangler secret list ${listed.error ? `failed to start: ${listed.error.message}` : `exited with ${listed.status}`}). Run \`npx wrangler login\`, then \`npx wrangler secret put BETTER_AUTH_SECRET\`, and deploy again.`;
	if (listed.error || listed.status !== 0) return `${failure}\n${listed.stderr ?? ''}`.trim();
	try {
		return parseSecretList(listed.stdout);
	} catch {
		return failure;
	}
}

function problemsOf(args: DeployArgs): string[] {
	const secrets = secretNamesOf(args);
	return [baseUrlProblem(publicBaseUrlOf(args), args.env), typeof secrets === 'string' ? secrets : secretProblem(secrets, args.env)].filter(
		(problem) => problem !== null
	);
}

function main(): number {
	let args: DeployArgs;
	let problems: string[];
	try {
		args = parseDeployArgs(process.argv.slice(2));
		problems = problemsOf(args);
	} catch (error) {
		problems = [error instanceof Error ? error.message : String(error)];
		args = {};
	}
	if (problems.length > 0) {
		console.error(`Refusing to deploy:\n\n${problems.map((problem) => `  ✖ ${problem}`).join('\n\n')}\n`);
		return 1;
	}
	for (const [command, ...commandArgs] of deploySteps(args)) {
		console.log(`\n▶ ${command} ${commandArgs.join(' ')}`);
		const result = run(command, commandArgs);
		if (result.error || result.status !== 0) {
			console.error(
				`\n✖ ${command} ${commandArgs.join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}).`
			);
			return 1;
		}
	}
	return 0;
}

process.exit(main());
