import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const BENCHMARKS = join(ROOT, 'docs/BENCHMARKS.md');

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index]!;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Replaces the section between `<!-- bench:NAME -->` markers in docs/BENCHMARKS.md, keeping the rest. */
export function writeSection(name: string, markdown: string): void {
	const start = `<!-- bench:${name}:start -->`;
	const end = `<!-- bench:${name}:end -->`;
	const block = `${start}\n${markdown.trim()}\n${end}`;
	const current = existsSync(BENCHMARKS)
		? readFileSync(BENCHMARKS, 'utf8')
		: '# Benchmarks\n\nFigures written by the scripts in `bench/`. Run them with `npm run bench`.\n';
	const pattern = new RegExp(`${start}[\\s\\S]*?${end}`);
	writeFileSync(BENCHMARKS, pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n${block}\n`);
}

export function machine(): string {
	const cpus = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? '?';
	return `Node ${process.versions.node}, ${cpus} cores, ${new Date().toISOString().slice(0, 10)}`;
}

/** Signs a new researcher up on the app at `url`; returns their session cookie (`name=value`). */
export async function signUpResearcher(url: string, label = 'bench'): Promise<string> {
	const response = await fetch(`${url}/api/auth/sign-up/email`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: url },
		body: JSON.stringify({
			name: 'Bench',
			email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
			password: 'bench-password-long-enough'
		})
	});
	const cookie = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((line) => line?.includes('session_token='));
	if (!cookie) throw new Error(`sign-up failed: ${response.status}`);
	return cookie;
}

/**
 * Where the relay benches keep their apps' local state: in memory (/dev/shm) where the machine has
 * it, or BENCH_STATE_DIR. Local Durable Object storage is SQLite files whose commits wait on the
 * disk, on workerd's one thread; production's storage does not, and docs/BENCHMARKS.md's relay
 * profile measures what the disk adds.
 */
export const benchStateDir = (): string => process.env.BENCH_STATE_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** The fields of /proc/<pid>/stat after the command name (so the process group is [2], CPU ticks [11] and [12]), or null once it is gone. */
function statFields(pid: number | string): string[] | null {
	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	} catch {
		return null;
	}
}

/** The processes of a process group (a `wrangler dev` and the workerd it runs), read from /proc. */
function processesOf(group: number): number[] {
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry) && Number(statFields(entry)?.[2]) === group)
		.map(Number);
}

/** Linux counts CPU time in ticks of 10 ms (USER_HZ = 100). */
export const TICK_MS = 10;

/** CPU time the processes of these groups have used so far, in clock ticks (user and system). */
export function cpuTicks(groups: number[]): number {
	return groups
		.flatMap(processesOf)
		.map(statFields)
		.reduce((sum, fields) => sum + (fields ? Number(fields[11]) + Number(fields[12]) : 0), 0);
}

/**
 * Waits until the apps of these process groups are idle: under 5% of a core over two half-second
 * samples in a row (at most `maxMs`). What a run leaves behind (the completions of its interviews,
 * their queued follow-ups) then lands before the next run, not in it. Returns how long it waited.
 */
export async function waitUntilIdle(groups: number[], maxMs = 30_000): Promise<number> {
	const started = performance.now();
	const ticksPerSample = (0.05 * 500) / TICK_MS; // 5% of a core over 500 ms
	let quietSamples = 0;
	let before = cpuTicks(groups);
	while (quietSamples < 2 && performance.now() - started < maxMs) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const now = cpuTicks(groups);
		quietSamples = now - before <= ticksPerSample ? quietSamples + 1 : 0;
		before = now;
	}
	return performance.now() - started;
}

/**
 * Keeps the relays off the clients' core: the bench's own process (its clients and the fake
 * upstream) on the first CPU, every process of the given groups (the apps' wrangler and workerd)
 * on the others. On a 2-core machine the relay under test then has a core of its own instead of
 * trading places with the clients that time it, whose own delays would be counted as its. Returns how
 * the CPUs were shared, for the method notes, or null where there is nothing to share or no
 * `taskset` (BENCH_PIN=0 turns it off).
 */
export function pinRelays(groups: number[]): string | null {
	const cpus = availableParallelism();
	if (cpus < 2 || process.env.BENCH_PIN === '0') return null;
	const relays = cpus === 2 ? '1' : `1-${cpus - 1}`;
	const pin = (cpu: string, pid: number) => spawnSync('taskset', ['-a', '-p', '-c', cpu, String(pid)], { encoding: 'utf8' }).status === 0;
	if (!pin('0', process.pid)) return null;
	for (const pid of groups.flatMap(processesOf)) pin(relays, pid);
	return `the bench's clients and the fake upstream on CPU 0, the apps' wrangler and workerd on CPU ${relays}`;
}
