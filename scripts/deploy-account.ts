// What `npm run deploy` learns about the Cloudflare account, read only: who is logged in, which
// D1 databases, KV namespaces, R2 buckets and queues exist, which secrets the Worker has and the
// account's workers.dev subdomain. Each reader parses wrangler's own output format.
import { parseSecretList } from './deploy-checks.ts';

export type CommandResult = { status: number | null; stdout: string; stderr: string; error?: Error };
/** Runs `wrangler <args>` and captures what it printed. */
export type Wrangler = (args: string[]) => CommandResult;

type Account = { id: string; name: string };
type WhoAmI = { loggedIn?: boolean; accounts?: Account[] } | null;
export type Login = { loggedIn: true; account: Account } | { loggedIn: false; reason: string };
/** A name list, or why it could not be read. */
export type Listing = { names: string[] } | { unknown: string };

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');
const plain = (text: string) => text.replace(ANSI, '');

/** What a failed wrangler call said, on one line, for a plan or a refusal. */
export function failureOf(result: CommandResult): string {
	if (result.error) return `wrangler failed to start: ${result.error.message}`;
	const said = plain(`${result.stderr}\n${result.stdout}`)
		.split('\n')
		.map((line) => line.replace(/^\s*✘\s*\[ERROR\]\s*/, '').trim())
		.filter((line) => line && !line.startsWith('🪵') && !line.startsWith('{'));
	return said[0] ?? `wrangler exited with ${result.status}`;
}

const LOGIN_HINT = 'Run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN).';

/** `wrangler whoami --json`: `{ "loggedIn": true, "accounts": [{ "id", "name" }], … }` or `{ "loggedIn": false }`. */
export function readLogin(wrangler: Wrangler, accountId: string | undefined): Login {
	const result = wrangler(['whoami', '--json']);
	let parsed: WhoAmI;
	try {
		parsed = JSON.parse(result.stdout) as WhoAmI;
	} catch {
		return { loggedIn: false, reason: `Could not ask Cloudflare who is logged in (${failureOf(result)}). ${LOGIN_HINT}` };
	}
	if (!parsed?.loggedIn) return { loggedIn: false, reason: `wrangler is not logged in. ${LOGIN_HINT}` };
	const accounts = parsed.accounts ?? [];
	// An account chosen by id is taken as wrangler takes it: an account's own API token (Workers Builds) lists no accounts.
	if (accountId)
		return { loggedIn: true, account: accounts.find((account) => account.id === accountId) ?? { id: accountId, name: accountId } };
	if (accounts.length === 1) return { loggedIn: true, account: accounts[0]! };
	const listed = accounts.map((account) => `${account.id} (${account.name})`).join(', ');
	return {
		loggedIn: false,
		reason: accounts.length
			? `This login reaches ${accounts.length} accounts: ${listed}. Choose one with \`CLOUDFLARE_ACCOUNT_ID=<id> npm run deploy\`.`
			: `This login reaches no Cloudflare account. ${LOGIN_HINT}`
	};
}

function listing(wrangler: Wrangler, args: string[], parse: (stdout: string) => string[]): Listing {
	const result = wrangler(args);
	if (result.error || result.status !== 0) return { unknown: failureOf(result) };
	try {
		return { names: parse(result.stdout) };
	} catch {
		return { unknown: `\`wrangler ${args.join(' ')}\` printed something unexpected` };
	}
}

function jsonArray(stdout: string, key: string): string[] {
	const parsed: unknown = JSON.parse(stdout);
	if (!Array.isArray(parsed)) throw new Error('not a JSON array');
	return parsed.flatMap((entry: Record<string, unknown>) => (typeof entry?.[key] === 'string' ? [entry[key]] : []));
}

/** `wrangler d1 list --json`: `[{ "uuid", "name", … }]`. */
export const listD1 = (wrangler: Wrangler, target: string[]) =>
	listing(wrangler, ['d1', 'list', '--json', ...target], (out) => jsonArray(out, 'name'));

/** `wrangler kv namespace list`: `[{ "id", "title", … }]`. */
export const listKv = (wrangler: Wrangler, target: string[]) =>
	listing(wrangler, ['kv', 'namespace', 'list', ...target], (out) => jsonArray(out, 'title'));

/** `wrangler r2 bucket list`: `Listing buckets...` then one `name: <bucket>` / `creation_date: …` block per bucket. */
export const listR2 = (wrangler: Wrangler, target: string[]) =>
	listing(wrangler, ['r2', 'bucket', 'list', ...target], (out) =>
		[...plain(out).matchAll(/^name:\s+(\S+)\s*$/gm)].map((match) => match[1]!)
	);

/** `wrangler queues info <name>`: exits 0 for a queue that exists, else says `Queue "<name>" does not exist.` */
export function queueState(wrangler: Wrangler, name: string, target: string[]): 'exists' | 'missing' | { unknown: string } {
	const result = wrangler(['queues', 'info', name, ...target]);
	if (!result.error && result.status === 0) return 'exists';
	if (plain(result.stderr + result.stdout).includes(`Queue "${name}" does not exist`)) return 'missing';
	return { unknown: failureOf(result) };
}

/** `wrangler secret list --format json`; a Worker not deployed yet has none (`Worker "<name>" … not found.`). */
export function listSecrets(wrangler: Wrangler, target: string[]): Listing {
	const result = wrangler(['secret', 'list', '--format', 'json', ...target]);
	if (result.error || result.status !== 0) {
		if (/Worker "[^"]+"( \(env: [^)]+\))? not found/.test(plain(result.stderr + result.stdout))) return { names: [] };
		return { unknown: failureOf(result) };
	}
	try {
		return { names: parseSecretList(result.stdout) };
	} catch {
		return { unknown: '`wrangler secret list` printed something unexpected' };
	}
}

type AuthToken = { type: 'oauth' | 'api_token'; token: string } | { type: 'api_key'; key: string; email: string };

/** The account's workers.dev subdomain, from the Cloudflare API with wrangler's own credentials (`wrangler auth token --json`). */
export async function readWorkersDevSubdomain(wrangler: Wrangler, accountId: string): Promise<{ subdomain: string } | { unknown: string }> {
	const result = wrangler(['auth', 'token', '--json']);
	let auth: AuthToken;
	try {
		auth = JSON.parse(result.stdout) as AuthToken;
	} catch {
		return { unknown: `could not read wrangler's credentials (${failureOf(result)})` };
	}
	const headers: Record<string, string> =
		auth.type === 'api_key' ? { 'X-Auth-Key': auth.key, 'X-Auth-Email': auth.email } : { Authorization: `Bearer ${auth.token}` };
	const base = process.env.CLOUDFLARE_API_BASE_URL ?? 'https://api.cloudflare.com/client/v4';
	try {
		const response = await fetch(`${base}/accounts/${accountId}/workers/subdomain`, { headers, signal: AbortSignal.timeout(15_000) });
		const body = (await response.json()) as { success?: boolean; result?: { subdomain?: string }; errors?: { message?: string }[] };
		if (body.success && body.result?.subdomain) return { subdomain: `${body.result.subdomain}.workers.dev` };
		const said = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
		return {
			unknown: `the account has no workers.dev subdomain yet (${said}); choose one at https://dash.cloudflare.com/${accountId}/workers/subdomain`
		};
	} catch (error) {
		return { unknown: `could not reach the Cloudflare API (${error instanceof Error ? error.message : String(error)})` };
	}
}
