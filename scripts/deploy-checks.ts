// What `npm run deploy` checks before it builds anything: a deployment must not run on the
// loopback settings wrangler.toml ships with, nor without its session-signing secret.
import { isLoopbackUrl } from '../worker/lib/origins.ts';

export const AUTH_SECRET = 'BETTER_AUTH_SECRET';

export type DeployArgs = { env?: string; config?: string };

/** `--env <name>` / `-e <name>` / `--env=<name>` and `--config <path>` / `-c <path>`, as wrangler spells them. */
export function parseDeployArgs(argv: string[]): DeployArgs {
	const args: DeployArgs = {};
	for (let index = 0; index < argv.length; index += 1) {
		const arg = argv[index]!;
		const [flag, inline] =
			arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const key = flag === '--env' || flag === '-e' ? 'env' : flag === '--config' || flag === '-c' ? 'config' : null;
		if (!key) throw new Error(`Unknown argument "${arg}". Usage: npm run deploy [-- --env <name>] [--config <path>]`);
		const value = inline ?? argv[++index];
		if (value === undefined) throw new Error(`${flag} needs a value.`);
		args[key] = value;
	}
	return args;
}

/** The wrangler flags that select the same configuration and environment as the checks did. */
export function wranglerTarget(args: DeployArgs): string[] {
	return [...(args.config ? ['--config', args.config] : []), ...(args.env !== undefined ? ['--env', args.env] : [])];
}

const varsSection = (env?: string) => (env ? `[env.${env}.vars]` : '[vars]');

/** Why PUBLIC_BASE_URL cannot be deployed, or null: it must be the public https origin. */
export function baseUrlProblem(publicBaseUrl: string | undefined, env?: string): string | null {
	const fix = `Set PUBLIC_BASE_URL in ${varsSection(env)} of wrangler.toml to the origin the app is served from, for example PUBLIC_BASE_URL = "https://parley.example.com".`;
	if (!publicBaseUrl) return `PUBLIC_BASE_URL is not set for this deployment. ${fix}`;
	let url: URL;
	try {
		url = new URL(publicBaseUrl);
	} catch {
		return `PUBLIC_BASE_URL "${publicBaseUrl}" is not a URL. ${fix}`;
	}
	if (isLoopbackUrl(publicBaseUrl)) {
		return `PUBLIC_BASE_URL is "${publicBaseUrl}", a loopback address: the links in mail and the origin that sign-in trusts would point at a developer's machine. ${fix}`;
	}
	if (url.protocol !== 'https:')
		return `PUBLIC_BASE_URL is "${publicBaseUrl}", which is not https: session cookies would not be Secure. ${fix}`;
	return null;
}

/** The names in `wrangler secret list --format json` output: `[{ "name": "...", "type": "secret_text" }]`. */
export function parseSecretList(output: string): string[] {
	const parsed: unknown = JSON.parse(output);
	if (!Array.isArray(parsed)) throw new Error('wrangler secret list did not print a JSON array.');
	return parsed.flatMap((entry: unknown) =>
		typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string'
			? [(entry as { name: string }).name]
			: []
	);
}

/** Why the secrets cannot be deployed, or null: BETTER_AUTH_SECRET must be a Worker secret. */
export function secretProblem(secretNames: string[], env?: string): string | null {
	if (secretNames.includes(AUTH_SECRET)) return null;
	const envFlag = env ? ` --env ${env}` : '';
	return `${AUTH_SECRET} is not set as a secret of this Worker. Run \`npx wrangler secret put ${AUTH_SECRET}${envFlag}\` and paste a long random value (for example the output of \`openssl rand -base64 32\`).`;
}

/** The steps of a deployment that passed the checks, in order: build, migrate the remote D1, deploy. */
export function deploySteps(args: DeployArgs): [string, ...string[]][] {
	const target = wranglerTarget(args);
	return [
		['vite', 'build'],
		['wrangler', 'd1', 'migrations', 'apply', 'DB', '--remote', ...target],
		['wrangler', 'deploy', ...target]
	];
}
