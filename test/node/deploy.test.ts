import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseUrlProblem, deploySteps, parseDeployArgs, parseSecretList, secretProblem } from '../../scripts/deploy-checks.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the deploy checks', () => {
	it('accept only a public https PUBLIC_BASE_URL', () => {
		expect(baseUrlProblem('https://parley.example.com')).toBeNull();
		for (const url of [
			undefined,
			'',
			'not a url',
			'http://127.0.0.1:8787',
			'https://localhost',
			'https://app.localhost',
			'http://[::1]:8787',
			'http://parley.example.com'
		]) {
			expect(baseUrlProblem(url)).toContain('Set PUBLIC_BASE_URL in [vars] of wrangler.toml');
		}
		expect(baseUrlProblem('http://127.0.0.1:8787', 'production')).toContain('[env.production.vars]');
	});

	it('need BETTER_AUTH_SECRET among the secrets wrangler lists', () => {
		const names = parseSecretList('[{"name":"OPENAI_API_KEY","type":"secret_text"},{"name":"BETTER_AUTH_SECRET","type":"secret_text"}]');
		expect(names).toEqual(['OPENAI_API_KEY', 'BETTER_AUTH_SECRET']);
		expect(secretProblem(names)).toBeNull();
		expect(secretProblem(['OPENAI_API_KEY'])).toContain('npx wrangler secret put BETTER_AUTH_SECRET`');
		expect(secretProblem([], 'production')).toContain('npx wrangler secret put BETTER_AUTH_SECRET --env production`');
		expect(() => parseSecretList('You are not logged in')).toThrow();
	});

	it('read wrangler-style arguments and pass the same target to every wrangler step', () => {
		expect(parseDeployArgs([])).toEqual({});
		expect(parseDeployArgs(['--env', 'production', '-c', 'other.toml'])).toEqual({ env: 'production', config: 'other.toml' });
		expect(parseDeployArgs(['--env=staging'])).toEqual({ env: 'staging' });
		expect(() => parseDeployArgs(['--force'])).toThrow(/Unknown argument/);
		expect(deploySteps({ env: 'production' })).toEqual([
			['vite', 'build'],
			['wrangler', 'd1', 'migrations', 'apply', 'DB', '--remote', '--env', 'production'],
			['wrangler', 'deploy', '--env', 'production']
		]);
	});
});

/** Stand-ins for wrangler and vite, first on PATH: they record each call and answer `secret list` as told. */
function fakeTools(dir: string) {
	const bin = join(dir, 'bin');
	const log = join(dir, 'calls.log');
	const script = (name: string) => `#!/bin/sh
echo "${name} $*" >> "$FAKE_TOOLS_LOG"
if [ "${name}" = wrangler ] && [ "$1" = secret ] && [ "$2" = list ]; then
  if [ -n "$FAKE_SECRET_LIST_ERROR" ]; then echo "$FAKE_SECRET_LIST_ERROR" >&2; exit 1; fi
  printf '%s\\n' "$FAKE_SECRETS"
fi
`;
	mkdirSync(bin);
	for (const name of ['wrangler', 'vite']) {
		writeFileSync(join(bin, name), script(name));
		chmodSync(join(bin, name), 0o755);
	}
	writeFileSync(log, '');
	return { bin, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean), log };
}

const WITH_AUTH_SECRET = JSON.stringify([{ name: 'BETTER_AUTH_SECRET', type: 'secret_text' }]);

describe('npm run deploy', () => {
	const dirs: string[] = [];
	afterEach(() => {
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	/** Runs the real deploy script against a wrangler.toml with these vars, and the fake tools. */
	function deploy(options: { vars: string; extra?: string; secrets?: string; secretListError?: string; args?: string[] }) {
		const dir = mkdtempSync(join(tmpdir(), 'parley-deploy-'));
		dirs.push(dir);
		const tools = fakeTools(dir);
		const config = join(dir, 'wrangler.toml');
		writeFileSync(
			config,
			`name = "parley"\nmain = "worker/index.ts"\ncompatibility_date = "2026-11-01"\n\n[vars]\n${options.vars}\n${options.extra ?? ''}`
		);
		const result = spawnSync(process.execPath, [join(ROOT, 'scripts/deploy.ts'), '--config', config, ...(options.args ?? [])], {
			cwd: ROOT,
			encoding: 'utf8',
			env: {
				...process.env,
				PATH: [tools.bin, process.env.PATH].join(delimiter),
				FAKE_TOOLS_LOG: tools.log,
				FAKE_SECRETS: options.secrets ?? WITH_AUTH_SECRET,
				FAKE_SECRET_LIST_ERROR: options.secretListError ?? ''
			}
		});
		return { status: result.status, stderr: result.stderr, calls: tools.calls(), config };
	}

	const deployed = (calls: string[]) => calls.filter((call) => !call.startsWith('wrangler secret list'));

	it('refuses a loopback PUBLIC_BASE_URL, says what to set, and builds and deploys nothing', () => {
		const result = deploy({ vars: 'PUBLIC_BASE_URL = "http://127.0.0.1:8787"' });
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Refusing to deploy');
		expect(result.stderr).toContain('PUBLIC_BASE_URL is "http://127.0.0.1:8787", a loopback address');
		expect(result.stderr).toContain('Set PUBLIC_BASE_URL in [vars] of wrangler.toml');
		expect(deployed(result.calls)).toEqual([]);
	});

	it('refuses a deployment whose BETTER_AUTH_SECRET is not a wrangler secret, and says what to run', () => {
		const result = deploy({
			vars: 'PUBLIC_BASE_URL = "https://parley.example.com"',
			secrets: JSON.stringify([{ name: 'OPENAI_API_KEY', type: 'secret_text' }])
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			'BETTER_AUTH_SECRET is not set as a secret of this Worker. Run `npx wrangler secret put BETTER_AUTH_SECRET`'
		);
		expect(result.calls).toEqual([`wrangler secret list --format json --config ${result.config}`]);
	});

	it('refuses when the secrets cannot be listed, and says to log in', () => {
		const result = deploy({ vars: 'PUBLIC_BASE_URL = "https://parley.example.com"', secretListError: 'You are not authenticated.' });
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Run `npx wrangler login`');
		expect(result.stderr).toContain('You are not authenticated.');
		expect(deployed(result.calls)).toEqual([]);
	});

	it('builds, applies the remote migrations and deploys, in that order, once both are fine', () => {
		const result = deploy({ vars: 'PUBLIC_BASE_URL = "https://parley.example.com"' });
		expect(result.stderr).not.toContain('Refusing');
		expect(result.status).toBe(0);
		expect(result.calls).toEqual([
			`wrangler secret list --format json --config ${result.config}`,
			'vite build',
			`wrangler d1 migrations apply DB --remote --config ${result.config}`,
			`wrangler deploy --config ${result.config}`
		]);
	});

	it('checks the environment being deployed, and passes it to every wrangler step', () => {
		const extra = '\n[env.production.vars]\nPUBLIC_BASE_URL = "https://parley.example.com"\n\n[env.staging]\nworkers_dev = true\n';
		const production = deploy({ vars: 'PUBLIC_BASE_URL = "http://127.0.0.1:8787"', extra, args: ['--env', 'production'] });
		expect(production.status).toBe(0);
		expect(production.calls.at(-1)).toBe(`wrangler deploy --config ${production.config} --env production`);

		const staging = deploy({ vars: 'PUBLIC_BASE_URL = "https://parley.example.com"', extra, args: ['--env', 'staging'] });
		expect(staging.status).toBe(1);
		expect(staging.stderr).toContain('PUBLIC_BASE_URL is not set for this deployment. Set PUBLIC_BASE_URL in [env.staging.vars]');
		expect(deployed(staging.calls)).toEqual([]);
	});
});
