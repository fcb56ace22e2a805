// A stand-in for the few wrangler commands `npm run deploy` calls, answering in wrangler's own
// output formats from an account kept in a JSON file (FAKE_WRANGLER_STATE). Commands that change
// the account change that file, as Cloudflare would; every call is appended to FAKE_WRANGLER_LOG.
// It mirrors what wrangler derives from Parley's wrangler.toml: the Worker of `--env <e>` is
// "parley-<e>", and a deploy creates its D1 "parley-<e>", KV "parley-<e>-links" and R2
// "parley-<e>-files" when missing, and fails when a queue it consumes or dead-letters to is missing.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

export type FakeAccount = {
	loggedIn: boolean;
	account: { id: string; name: string };
	token: string;
	subdomain: string | null;
	d1: string[];
	kv: string[];
	r2: string[];
	queues: string[];
	workers: Record<string, { secrets: string[] }>;
	/** Where the fake says a deployed Worker is served (wrangler prints its workers.dev URL there). */
	deployedOrigin: string;
	deployed: Record<string, { vars: Record<string, string> }>;
	migrated: string[];
	/** `queues info` fails as it does when Cloudflare cannot be reached. */
	queueInfoFails?: boolean;
};

function main(argv: string[]): number {
	const statePath = process.env.FAKE_WRANGLER_STATE!;
	appendFileSync(process.env.FAKE_WRANGLER_LOG!, `wrangler ${argv.join(' ')}\n`);
	const state = JSON.parse(readFileSync(statePath, 'utf8')) as FakeAccount;
	const save = () => writeFileSync(statePath, JSON.stringify(state));
	const out = (text: string) => process.stdout.write(`${text}\n`);
	const fail = (message: string) => {
		process.stderr.write(`\n\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1m${message}\u001b[0m\n\n`);
		return 1;
	};
	const flag = (name: string) => {
		const index = argv.indexOf(name);
		return index === -1 ? undefined : argv[index + 1];
	};
	const env = flag('--env');
	const worker = env ? `parley-${env}` : 'parley';
	const command = argv.filter((arg, index) => !arg.startsWith('-') && !argv[index - 1]?.startsWith('--'));
	const is = (...words: string[]) => words.every((word, index) => command[index] === word);

	if (is('whoami')) {
		if (!state.loggedIn) return (out('{"loggedIn":false}'), 1);
		out(JSON.stringify({ loggedIn: true, authType: 'OAuth Token', email: 'owner@example.com', accounts: [state.account] }, null, 2));
		return 0;
	}
	if (!state.loggedIn)
		return fail(
			"In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work."
		);
	if (is('auth', 'token')) return (out(JSON.stringify({ type: 'oauth', token: state.token }, null, 2)), 0);
	if (is('d1', 'list'))
		return (
			out(
				JSON.stringify(
					state.d1.map((name, index) => ({ uuid: `0000000${index}-d1`, name, version: 'production' })),
					null,
					2
				)
			),
			0
		);
	if (is('kv', 'namespace', 'list'))
		return (
			out(
				JSON.stringify(
					state.kv.map((title, index) => ({ id: `kv${index}`, title, supports_url_encoding: true })),
					null,
					'  '
				)
			),
			0
		);
	if (is('r2', 'bucket', 'list')) {
		out('Listing buckets...');
		out(state.r2.map((name) => `name:           ${name}\ncreation_date:  2026-11-30T10:00:00.000Z`).join('\n\n'));
		return 0;
	}
	if (is('queues', 'info')) {
		const name = command[2]!;
		if (state.queueInfoFails) return fail('A request to the Cloudflare API (/accounts/acc0123/queues) failed. fetch failed');
		if (!state.queues.includes(name)) return fail(`Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}`);
		return (out(`Queue Name: ${name}\nQueue ID: q-${name}\nNumber of Producers: 1\nNumber of Consumers: 1`), 0);
	}
	if (is('queues', 'create')) {
		const name = command[2]!;
		if (state.queues.includes(name)) return fail(`A queue with name ${name} already exists. [code: 11009]`);
		state.queues.push(name);
		save();
		return (out(`🌀 Creating queue '${name}'\n✅ Created queue '${name}'`), 0);
	}
	if (is('secret', 'list')) {
		const found = state.workers[worker];
		if (!found)
			return fail(
				`Worker "${worker}"${env ? ` (env: ${env})` : ''} not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`
			);
		return (
			out(
				JSON.stringify(
					found.secrets.map((name) => ({ name, type: 'secret_text' })),
					null,
					'  '
				)
			),
			0
		);
	}
	if (is('d1', 'migrations', 'apply')) {
		if (!state.d1.includes(worker)) return fail(`Couldn't find a D1 DB with the name or binding 'DB' in your wrangler.toml file.`);
		state.migrated.push(worker);
		save();
		return (out('✅ Applied 12 migrations.'), 0);
	}
	if (is('deploy')) {
		for (const queue of [`${worker}-jobs`, `${worker}-jobs-dead`])
			if (!state.queues.includes(queue)) return fail(`Queue "${queue}" does not exist. To create it, run: wrangler queues create ${queue}`);
		const provisioned = [
			[state.d1, 'D1 Database', worker],
			[state.kv, 'KV Namespace', `${worker}-links`],
			[state.r2, 'R2 Bucket', `${worker}-files`]
		] as const;
		for (const [list, kind, name] of provisioned) {
			if (list.includes(name)) continue;
			list.push(name);
			out(`🌀 Creating new ${kind} "${name}"...`);
		}
		const vars = Object.fromEntries(
			argv.flatMap((arg, index) => (argv[index - 1] === '--var' ? [[arg.slice(0, arg.indexOf(':')), arg.slice(arg.indexOf(':') + 1)]] : []))
		);
		state.workers[worker] ??= { secrets: [] };
		state.deployed[worker] = { vars };
		save();
		out(`Uploaded ${worker} (3.10 sec)\nDeployed ${worker} triggers (0.52 sec)\n  ${state.deployedOrigin}\n  schedule: */5 * * * *`);
		return (out('Current Version ID: 6f1c2d3e-0000-4000-8000-000000000000'), 0);
	}
	return fail(`The fake wrangler does not know \`wrangler ${argv.join(' ')}\`.`);
}

if (process.env.FAKE_WRANGLER_STATE) process.exit(main(process.argv.slice(2)));
