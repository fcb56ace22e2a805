import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseUrlProblem, defaultEnv, parseDeployArgs, parseSecretList, secretProblem } from '../../scripts/deploy-checks.ts';
import { deploySteps, type Resource } from '../../scripts/deploy-plan.ts';
import { checkDeployedHealth, deployedUrlOf, nextSteps } from '../../scripts/deploy-report.ts';
import type { FakeAccount } from './fake-wrangler.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FAKE_WRANGLER = join(import.meta.dirname, 'fake-wrangler.ts');
const TOKEN = 'fake-oauth-token';
const SUBDOMAIN = 'acme';
const APP_URL = `https://parley-production.${SUBDOMAIN}.workers.dev`;

describe('the deploy checks', () => {
	it('accept only a public https origin as PUBLIC_BASE_URL', () => {
		expect(baseUrlProblem('https://parley.example.com', 'production')).toBeNull();
		for (const url of [
			undefined,
			'',
			'not a url',
			'http://127.0.0.1:8787',
			'https://localhost',
			'https://app.localhost',
			'http://[::1]:8787',
			'http://parley.example.com',
			'https://parley.example.com/app'
		]) {
			expect(baseUrlProblem(url, 'production')).toContain('npm run deploy -- --env production --url https://<your origin>');
		}
		expect(baseUrlProblem('http://127.0.0.1:8787', 'staging')).toContain('[env.staging.vars]');
		expect(baseUrlProblem(undefined, undefined)).toContain(
			'`npm run deploy -- --url https://<your origin>`, or set PUBLIC_BASE_URL in [vars]'
		);
	});

	it('need BETTER_AUTH_SECRET among the secrets wrangler lists, and say the one line that sets it', () => {
		const names = parseSecretList('[{"name":"OPENAI_API_KEY","type":"secret_text"},{"name":"BETTER_AUTH_SECRET","type":"secret_text"}]');
		expect(names).toEqual(['OPENAI_API_KEY', 'BETTER_AUTH_SECRET']);
		expect(secretProblem(names, 'production')).toBeNull();
		expect(secretProblem(['OPENAI_API_KEY'], 'staging')).toContain(
			'`openssl rand -base64 32 | npx wrangler secret put BETTER_AUTH_SECRET --env staging`'
		);
		expect(() => parseSecretList('You are not logged in')).toThrow();
	});

	it('read wrangler-style arguments, deploying production unless told otherwise (or run by Workers Builds)', () => {
		expect(defaultEnv({})).toBe('production');
		expect(defaultEnv({ WORKERS_CI: '1' })).toBeUndefined();
		expect(parseDeployArgs([], 'production')).toEqual({ env: 'production', dryRun: false });
		expect(parseDeployArgs(['--dry-run'], '')).toEqual({ dryRun: true });
		expect(parseDeployArgs(['--env', 'staging'], '')).toEqual({ env: 'staging', dryRun: false });
		expect(parseDeployArgs(['--env', 'staging', '-c', 'other.toml', '--dry-run'])).toEqual({
			env: 'staging',
			config: 'other.toml',
			dryRun: true
		});
		expect(parseDeployArgs(['--env=staging', '--url=https://parley.example.com'])).toEqual({
			env: 'staging',
			url: 'https://parley.example.com',
			dryRun: false
		});
		expect(() => parseDeployArgs(['--force'])).toThrow(/Unknown argument/);
		expect(() => parseDeployArgs(['--url'])).toThrow(/--url needs a value/);
	});

	it('migrate an existing database before the upload, and a new one right after wrangler creates it', () => {
		const queue = (state: Resource['state']): Resource => ({ kind: 'Queue', name: 'q', role: 'JOBS', state });
		const db = (state: Resource['state']): Resource => ({ kind: 'D1 database', name: 'parley-production', role: 'DB', state });
		const vars = { PUBLIC_BASE_URL: APP_URL, BUILD_VERSION: '0.1.0+abc' };
		const commands = (resources: Resource[]) =>
			deploySteps({ env: 'production', dryRun: false }, resources, vars).map((s) => s.command.join(' '));
		expect(commands([db('exists'), queue('exists')])).toEqual([
			'vite build',
			'vite build --config vite.respondent.config.ts',
			'wrangler d1 migrations apply DB --remote --env production',
			`wrangler deploy --env production --var PUBLIC_BASE_URL:${APP_URL} --var BUILD_VERSION:0.1.0+abc`
		]);
		expect(commands([db('missing'), queue('missing')])).toEqual([
			'wrangler queues create q --env production',
			'vite build',
			'vite build --config vite.respondent.config.ts',
			`wrangler deploy --env production --var PUBLIC_BASE_URL:${APP_URL} --var BUILD_VERSION:0.1.0+abc`,
			'wrangler d1 migrations apply DB --remote --env production'
		]);
	});

	it('find the URL wrangler deploy printed, and leave out of the next steps the secrets already set', () => {
		const printed = `Uploaded parley-production (3.10 sec)\nDeployed parley-production triggers (0.52 sec)\n  ${APP_URL}\n  schedule: */5 * * * *\nCurrent Version ID: x`;
		expect(deployedUrlOf(printed)).toBe(APP_URL);
		expect(deployedUrlOf('No targets deployed for parley-production')).toBeNull();
		const all = nextSteps('production', APP_URL, []).join('\n');
		expect(all).toContain('npx wrangler secret put OPENAI_API_KEY --env production');
		expect(all).toContain(`${APP_URL}/api/billing/webhook`);
		expect(all).toContain('npx wrangler secret put MAIL_WEBHOOK_URL --env production');
		expect(all).toContain('npx wrangler rollback --env production');
		const set = nextSteps('production', APP_URL, ['OPENAI_API_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'MAIL_WEBHOOK_URL']);
		expect(set).toEqual([expect.stringContaining('wrangler tail --env production')]);
	});
});

/** The Cloudflare API's subdomain endpoint and the deployed app's /api/health, both answered from the fake account. */
let server: Server;
let origin: string;
let statePath = '';
const account = (): FakeAccount => JSON.parse(readFileSync(statePath, 'utf8')) as FakeAccount;
const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

beforeAll(async () => {
	server = createServer((req, res) => {
		const state = account();
		if (req.url === `/client/v4/accounts/${state.account.id}/workers/subdomain`) {
			if (req.headers.authorization !== `Bearer ${state.token}`)
				return json(res, 403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }] });
			if (!state.subdomain)
				return json(res, 404, { success: false, errors: [{ code: 10007, message: 'workers.api.error.subdomain_not_found' }] });
			return json(res, 200, { success: true, errors: [], result: { subdomain: state.subdomain } });
		}
		const deployed = Object.values(state.deployed)[0];
		if (req.url === '/api/health' && deployed) {
			const probe = { ok: true, ms: 2 };
			return json(res, 200, { status: 'ok', version: deployed.vars.BUILD_VERSION, checks: { db: probe, kv: probe, r2: probe } });
		}
		json(res, 404, { error: { code: 'not_found', message: 'nothing here' } });
	});
	await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

describe('npm run deploy against a fake Cloudflare account', () => {
	const dirs: string[] = [];
	afterEach(() => {
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	const FRESH: Omit<FakeAccount, 'deployedOrigin'> = {
		loggedIn: true,
		account: { id: 'acc0123', name: 'Acme Research' },
		token: TOKEN,
		subdomain: SUBDOMAIN,
		d1: [],
		kv: [],
		r2: [],
		queues: [],
		workers: {},
		deployed: {},
		migrated: []
	};
	const EVERYTHING = {
		...FRESH,
		d1: ['parley-production'],
		kv: ['parley-production-links'],
		r2: ['parley-production-files'],
		queues: ['parley-production-jobs', 'parley-production-jobs-dead']
	};

	/** A temporary bin with the fake wrangler and a fake vite first on PATH, and the account they see. */
	function setUp(state: Partial<FakeAccount>) {
		const dir = mkdtempSync(join(tmpdir(), 'parley-deploy-'));
		dirs.push(dir);
		const bin = join(dir, 'bin');
		mkdirSync(bin);
		const log = join(dir, 'calls.log');
		writeFileSync(log, '');
		statePath = join(dir, 'account.json');
		writeFileSync(statePath, JSON.stringify({ ...FRESH, deployedOrigin: origin, ...state }));
		writeFileSync(join(bin, 'wrangler'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_WRANGLER}" "$@"\n`);
		writeFileSync(join(bin, 'vite'), `#!/bin/sh\necho "vite $*" >> "${log}"\n`);
		for (const tool of ['wrangler', 'vite']) chmodSync(join(bin, tool), 0o755);
		return { bin, log };
	}

	/** Runs the real deploy script on the real wrangler.toml, with the fakes. */
	async function deploy(state: Partial<FakeAccount>, args: string[], extraEnv: Record<string, string> = {}) {
		const { bin, log } = setUp(state);
		const env: NodeJS.ProcessEnv = {
			...process.env,
			PATH: [bin, process.env.PATH].join(delimiter),
			FAKE_WRANGLER_STATE: statePath,
			FAKE_WRANGLER_LOG: log,
			CLOUDFLARE_API_BASE_URL: `${origin}/client/v4`,
			NO_COLOR: '1'
		};
		delete env.CLOUDFLARE_ACCOUNT_ID;
		delete env.WORKERS_CI;
		Object.assign(env, extraEnv);
		const child = spawn(process.execPath, [join(ROOT, 'scripts/deploy.ts'), ...args], { cwd: ROOT, env });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const status = await new Promise<number | null>((done) => child.on('close', done));
		const calls = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean);
		return { status, stdout, stderr, calls, account: account() };
	}

	const READS = /^wrangler (whoami|auth token|d1 list|kv namespace list|r2 bucket list|queues info|secret list)\b/;
	const changes = (calls: string[]) => calls.filter((call) => !READS.test(call));

	it('plans a fresh account: every resource to create, the workers.dev URL, and the refusal for the missing secret', async () => {
		const run = await deploy({}, ['--dry-run']);
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('Dry run: the deploy plan for the Worker "parley-production" (--env production)');
		for (const resource of [
			'+ D1 database "parley-production" (DB)',
			'+ KV namespace "parley-production-links" (LINKS)',
			'+ R2 bucket "parley-production-files" (FILES)'
		])
			expect(run.stdout).toMatch(new RegExp(`${escape(resource)}\\s+missing: wrangler deploy creates it`));
		expect(run.stdout).toMatch(/\+ Queue "parley-production-jobs" \(JOBS\)\s+missing: npm run deploy creates it/);
		expect(run.stdout).toMatch(/\+ Queue "parley-production-jobs-dead" \(dead letters\)\s+missing: npm run deploy creates it/);
		expect(run.stdout).toContain('✔ Cloudflare login: account Acme Research (acc0123)');
		expect(run.stdout).toContain(`✔ PUBLIC_BASE_URL: ${APP_URL} (from the account's workers.dev subdomain)`);
		expect(run.stdout).toContain('npm run deploy would stop here, before uploading anything:');
		expect(run.stdout).toContain(
			'✖ BETTER_AUTH_SECRET is not set as a secret of this Worker. Run `openssl rand -base64 32 | npx wrangler secret put BETTER_AUTH_SECRET --env production`'
		);
		expect(run.stdout).toMatch(/1\. wrangler queues create parley-production-jobs --env production/);
		expect(run.stdout).toMatch(
			/5\. wrangler deploy --env production --var PUBLIC_BASE_URL:https:\/\/parley-production\.acme\.workers\.dev/
		);
		expect(run.stdout).toMatch(/6\. wrangler d1 migrations apply DB --remote --env production/);
		expect(run.stdout).toContain('Dry run: nothing on the account was changed.');
		expect(changes(run.calls)).toEqual([]);
		expect(run.account).toMatchObject({ d1: [], kv: [], r2: [], queues: [], workers: {} });
	});

	it('plans an account that has everything: nothing to create, migrations before the upload, ready', async () => {
		const run = await deploy({ ...EVERYTHING, workers: { 'parley-production': { secrets: ['BETTER_AUTH_SECRET'] } } }, ['--dry-run']);
		expect(run.status).toBe(0);
		expect(run.stdout).not.toMatch(/^\s+[+?✖] /m);
		expect(run.stdout.match(/^\s+✔ (D1 database|KV namespace|R2 bucket|Queue) .*exists$/gm)).toHaveLength(5);
		expect(run.stdout).toContain('✔ BETTER_AUTH_SECRET: set as a Worker secret');
		expect(run.stdout).not.toContain('queues create');
		expect(run.stdout).toMatch(
			/1\. vite build.*\n\s+2\. vite build --config vite.respondent.config.ts.*\n\s+3\. wrangler d1 migrations apply DB --remote --env production.*\n\s+4\. wrangler deploy --env production/
		);
		expect(run.stdout).toContain(`5. GET ${APP_URL}/api/health`);
		expect(run.stdout).toContain('Ready: npm run deploy would run the steps above.');
		expect(changes(run.calls)).toEqual([]);
	});

	it('plans an account whose Worker lacks BETTER_AUTH_SECRET, and a real run refuses before touching anything', async () => {
		const state = { ...EVERYTHING, workers: { 'parley-production': { secrets: ['OPENAI_API_KEY'] } } };
		const plan = await deploy(state, ['--dry-run']);
		expect(plan.status).toBe(0);
		expect(plan.stdout).toContain('✖ BETTER_AUTH_SECRET: BETTER_AUTH_SECRET is not set as a secret of this Worker.');
		expect(plan.stdout).toContain('npm run deploy would stop here, before uploading anything:');

		const run = await deploy(state, []);
		expect(run.status).toBe(1);
		expect(run.stderr).toContain(
			'Refusing to deploy:\n\n  ✖ BETTER_AUTH_SECRET is not set as a secret of this Worker. Run `openssl rand -base64 32 | npx wrangler secret put BETTER_AUTH_SECRET --env production` (on a new account this also creates the Worker), then deploy again.'
		);
		expect(changes(run.calls)).toEqual([]);
	});

	it('plans offline with nobody logged in: asks only who is logged in and says to log in', async () => {
		const run = await deploy({ loggedIn: false }, ['--dry-run', '--env', 'staging']);
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/\? D1 database "parley-staging" \(DB\)\s+unknown \(not logged in\)/);
		expect(run.stdout).toContain('✖ Cloudflare login: wrangler is not logged in. Run `npx wrangler login`');
		expect(run.stdout).toContain('? BETTER_AUTH_SECRET: unknown until logged in');
		expect(run.calls).toEqual(['wrangler whoami --json']);
	});

	it('deploys a fresh account whose secret is set: creates the queues, uploads, migrates, checks health, and a second run creates nothing', async () => {
		const first = await deploy({ workers: { 'parley-production': { secrets: ['BETTER_AUTH_SECRET'] } } }, []);
		expect(first.stderr).not.toContain('Refusing');
		expect(first.status).toBe(0);
		const version = /version (\S+)\n/.exec(first.stdout)![1]!;
		expect(changes(first.calls)).toEqual([
			'wrangler queues create parley-production-jobs --env production',
			'wrangler queues create parley-production-jobs-dead --env production',
			'vite build',
			'vite build --config vite.respondent.config.ts',
			`wrangler deploy --env production --var PUBLIC_BASE_URL:${APP_URL} --var BUILD_VERSION:${version}`,
			'wrangler d1 migrations apply DB --remote --env production'
		]);
		expect(first.account).toMatchObject({
			d1: ['parley-production'],
			kv: ['parley-production-links'],
			r2: ['parley-production-files'],
			queues: ['parley-production-jobs', 'parley-production-jobs-dead'],
			migrated: ['parley-production']
		});
		expect(first.stdout).toContain(`✔ Parley is deployed at ${APP_URL}`);
		expect(first.stdout).toContain(`✔ ${origin}/api/health: ok, version ${version}; db 2 ms, kv 2 ms, r2 2 ms`);
		expect(first.stdout).toContain('Next steps:');
		expect(first.stdout).toContain('npx wrangler secret put OPENAI_API_KEY --env production');

		const { deployed: _deployed, ...afterFirst } = first.account;
		const second = await deploy({ ...afterFirst, deployed: {} }, []);
		expect(second.status).toBe(0);
		expect(changes(second.calls)).toEqual([
			'vite build',
			'vite build --config vite.respondent.config.ts',
			'wrangler d1 migrations apply DB --remote --env production',
			`wrangler deploy --env production --var PUBLIC_BASE_URL:${APP_URL} --var BUILD_VERSION:${version}`
		]);
	});

	it('deploys with the origin given by --url, and refuses one that is not https', async () => {
		const state = { ...EVERYTHING, subdomain: null, workers: { 'parley-production': { secrets: ['BETTER_AUTH_SECRET'] } } };
		const run = await deploy(state, ['--url', 'https://interviews.example.org']);
		expect(run.status).toBe(0);
		expect(changes(run.calls).at(-1)).toMatch(
			/^wrangler deploy --env production --var PUBLIC_BASE_URL:https:\/\/interviews\.example\.org /
		);

		const refused = await deploy(state, ['--url', 'http://interviews.example.org']);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('PUBLIC_BASE_URL is "http://interviews.example.org", which is not https');
		expect(changes(refused.calls)).toEqual([]);
	});

	it('refuses without a workers.dev subdomain or --url, and says where to choose one', async () => {
		const run = await deploy({ ...EVERYTHING, subdomain: null, workers: { 'parley-production': { secrets: ['BETTER_AUTH_SECRET'] } } }, []);
		expect(run.status).toBe(1);
		expect(run.stderr).toContain(
			'PUBLIC_BASE_URL is not known for this deployment (it comes from the workers.dev subdomain, which is unknown: the account has no workers.dev subdomain yet (workers.api.error.subdomain_not_found); choose one at https://dash.cloudflare.com/acc0123/workers/subdomain). Pass it with `npm run deploy -- --env production --url https://<your origin>`'
		);
		expect(changes(run.calls)).toEqual([]);
	});

	it('in Workers Builds, deploys the top-level Worker a Deploy to Cloudflare button made, at its workers.dev origin', async () => {
		const state = { ...FRESH, d1: ['parley'], workers: { parley: { secrets: ['BETTER_AUTH_SECRET'] } } };
		const run = await deploy(state, [], { WORKERS_CI: '1', CLOUDFLARE_ACCOUNT_ID: 'acc0123' });
		expect(run.stderr).not.toContain('Refusing');
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('Deploy plan for the Worker "parley" (top level)');
		const version = /version (\S+)\n/.exec(run.stdout)![1]!;
		expect(changes(run.calls)).toEqual([
			'wrangler queues create parley-jobs',
			'wrangler queues create parley-jobs-dead',
			'vite build',
			'vite build --config vite.respondent.config.ts',
			'wrangler d1 migrations apply DB --remote',
			`wrangler deploy --var PUBLIC_BASE_URL:https://parley.${SUBDOMAIN}.workers.dev --var BUILD_VERSION:${version} --var AI_PROVIDER:openai`
		]);
		expect(run.stdout).toContain('npx wrangler secret put OPENAI_API_KEY`');
	});

	it('counts a queue made meanwhile as created, since creating one is only ever to have it', async () => {
		const state = { ...EVERYTHING, workers: { 'parley-production': { secrets: ['BETTER_AUTH_SECRET'] } }, queueInfoFails: true };
		const run = await deploy(state, []);
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/\? Queue "parley-production-jobs" \(JOBS\)\s+unknown \(.*\): npm run deploy creates it if missing/);
		expect(changes(run.calls).slice(0, 2)).toEqual([
			'wrangler queues create parley-production-jobs --env production',
			'wrangler queues create parley-production-jobs-dead --env production'
		]);
	});

	it('refuses an environment wrangler.toml does not define', async () => {
		const run = await deploy(EVERYTHING, ['--env', 'qa']);
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('Could not read the [env.qa] configuration');
		expect(run.calls).toEqual([]);
	});
});

describe('the health check after a deploy', () => {
	it('waits for the version just deployed, and reports an older one that stays', async () => {
		let answers = 0;
		const app = createServer((_req, res) => {
			answers += 1;
			json(res, 200, { status: 'ok', version: answers < 3 ? '0.1.0+old' : '0.1.0+new', checks: { db: { ok: true, ms: 4 } } });
		});
		await new Promise<void>((ready) => app.listen(0, '127.0.0.1', ready));
		const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
		try {
			expect(await checkDeployedHealth(url, '0.1.0+new', 5, 0)).toEqual({ ok: true, summary: 'ok, version 0.1.0+new; db 4 ms' });
			expect(answers).toBe(3);
			expect(await checkDeployedHealth(url, '0.2.0', 2, 0)).toEqual({ ok: false, summary: 'HTTP 200: ok, version 0.1.0+new; db 4 ms' });
		} finally {
			await new Promise<void>((closed) => app.close(() => closed()));
		}
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
