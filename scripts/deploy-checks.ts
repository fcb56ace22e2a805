// What `npm run deploy` checks before it uploads anything: a deployment must be served from a public
// https origin, and must have its session-signing secret.
import { isLoopbackUrl } from '../worker/lib/origins.ts';

export const AUTH_SECRET = 'BETTER_AUTH_SECRET';

/** No `env` is the top-level Worker: what a Deploy to Cloudflare button (Workers Builds) creates. */
export type DeployArgs = { env?: string; config?: string; url?: string; dryRun: boolean };

/**
 * Production unless told otherwise; in Workers Builds (WORKERS_CI), where a Deploy to Cloudflare
 * button connects the repository to the top-level Worker, that Worker.
 */
export const defaultEnv = (environment: NodeJS.ProcessEnv): string | undefined => (environment.WORKERS_CI ? undefined : 'production');

export const USAGE = 'Usage: npm run deploy [-- --env staging|production] [--url https://<origin>] [--dry-run] [--config <path>]';

/** `--env <name>` (`-e`, `--env=<name>`), `--config <path>` (`-c`) as wrangler spells them; `--url`, `--dry-run`. */
export function parseDeployArgs(argv: string[], env = defaultEnv(process.env)): DeployArgs {
	const args: DeployArgs = { ...(env ? { env } : {}), dryRun: false };
	for (let index = 0; index < argv.length; index += 1) {
		const arg = argv[index]!;
		if (arg === '--dry-run') {
			args.dryRun = true;
			continue;
		}
		const [flag, inline] =
			arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const key =
			flag === '--env' || flag === '-e' ? 'env' : flag === '--config' || flag === '-c' ? 'config' : flag === '--url' ? 'url' : null;
		if (!key) throw new Error(`Unknown argument "${arg}". ${USAGE}`);
		const value = inline ?? argv[++index];
		if (value === undefined || value === '') throw new Error(`${flag} needs a value. ${USAGE}`);
		args[key] = value;
	}
	return args;
}

/** The wrangler flags that select the same configuration and environment as the checks did. */
export function wranglerTarget(args: Pick<DeployArgs, 'env' | 'config'>): string[] {
	return [...(args.config ? ['--config', args.config] : []), ...(args.env ? ['--env', args.env] : [])];
}

export const envFlag = (env: string | undefined) => (env ? ` --env ${env}` : '');
export const varsSection = (env: string | undefined) => (env ? `[env.${env}.vars]` : '[vars]');

/** Why PUBLIC_BASE_URL cannot be deployed, or null: it must be a public https origin. */
export function baseUrlProblem(publicBaseUrl: string | undefined, env: string | undefined, whyUnknown?: string): string | null {
	const fix = `Pass it with \`npm run deploy --${envFlag(env)} --url https://<your origin>\`, or set PUBLIC_BASE_URL in ${varsSection(env)} of wrangler.toml.`;
	if (!publicBaseUrl) return `PUBLIC_BASE_URL is not known for this deployment${whyUnknown ? ` (${whyUnknown})` : ''}. ${fix}`;
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
	if (url.origin !== publicBaseUrl.replace(/\/$/, ''))
		return `PUBLIC_BASE_URL is "${publicBaseUrl}", which is not an origin (it has a path, query or credentials): use "${url.origin}". ${fix}`;
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

/** The one line that sets a fresh random secret on this environment's Worker. */
export function secretPutCommand(name: string, env: string | undefined): string {
	return `openssl rand -base64 32 | npx wrangler secret put ${name}${envFlag(env)}`;
}

/** Why the secrets cannot be deployed, or null: BETTER_AUTH_SECRET must be a Worker secret. */
export function secretProblem(secretNames: string[], env: string | undefined): string | null {
	if (secretNames.includes(AUTH_SECRET)) return null;
	return `${AUTH_SECRET} is not set as a secret of this Worker. Run \`${secretPutCommand(AUTH_SECRET, env)}\` (on a new account this also creates the Worker), then deploy again.`;
}
