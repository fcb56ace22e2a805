import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
