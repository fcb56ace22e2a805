import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** Run wrangler's JS entry with this Node (22+), whatever `node` the PATH would pick. */
const WRANGLER = [process.execPath, join(ROOT, 'node_modules/wrangler/bin/wrangler.js')] as const;

export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
		});
	});
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output()}`);
		try {
			const response = await fetch(`${url}/api/health`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((done) => setTimeout(done, 250));
	}
	throw new Error(`wrangler dev did not become healthy in 90 s:\n${output()}`);
}

/** A running app: its URL, the directory its local state lives in (until stop), what wrangler printed so far, and the process group of wrangler and its workerd. */
export type RunningApp = {
	url: string;
	persistTo: string;
	log: () => string;
	stop: () => Promise<void>;
	processGroup: number;
	/** Where workerd's inspector answers (the Chrome DevTools protocol), for benches that profile the app. */
	inspectorPort: number;
};

/**
 * Starts `wrangler dev --local` on free ports with fresh, migrated state of its own. `script`
 * replaces the configuration's entry (benchmarks run the app wrapped in an instrumented Worker);
 * `stateIn` is the directory its state goes under (the system's temporary directory by default).
 */
export async function startApp(
	vars: Record<string, string> = {},
	options: { script?: string; stateIn?: string } = {}
): Promise<RunningApp> {
	const persistTo = mkdtempSync(join(options.stateIn ?? tmpdir(), 'parley-e2e-'));
	const migrate = spawnSync(WRANGLER[0], [WRANGLER[1], 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, CI: 'true' }
	});
	if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

	const [port, inspectorPort] = [await freePort(), await freePort()];
	const url = `http://127.0.0.1:${port}`;
	const varArgs = Object.entries({ PUBLIC_BASE_URL: url, ...vars }).flatMap(([key, value]) => ['--var', `${key}:${value}`]);
	const args = [
		'dev',
		...(options.script ? [options.script] : []),
		'--local',
		'--ip',
		'127.0.0.1',
		'--port',
		String(port),
		'--inspector-port',
		String(inspectorPort),
		'--persist-to',
		persistTo,
		'--show-interactive-dev-session=false',
		...varArgs
	];
	const child = spawn(WRANGLER[0], [WRANGLER[1], ...args], {
		cwd: ROOT,
		detached: true,
		env: { ...process.env, CI: 'true' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));

	const stop = async () => {
		if (child.exitCode === null && child.pid) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// already gone
			}
			await new Promise((done) => {
				const timer = setTimeout(() => {
					try {
						if (child.pid) process.kill(-child.pid, 'SIGKILL');
					} catch {
						// already gone
					}
					done(undefined);
				}, 5_000);
				child.once('exit', () => {
					clearTimeout(timer);
					done(undefined);
				});
			});
		}
		rmSync(persistTo, { recursive: true, force: true });
	};

	try {
		await waitForHealth(url, child, () => log);
	} catch (error) {
		await stop();
		throw error;
	}
	return { url, persistTo, log: () => log, stop, processGroup: child.pid!, inspectorPort };
}
