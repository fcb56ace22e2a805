// API latency through `wrangler dev --local`: a health probe, an authenticated D1 read and a page, side by side.
import { startApp } from '../test/e2e/server.ts';
import { machine, percentile, round, writeSection, signUpResearcher } from './lib.ts';

const REQUESTS_PER_LEVEL = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = [1, 10];

type Target = { name: string; path: string; auth: boolean };
const TARGETS: Target[] = [
	{ name: 'GET /api/health (D1 + KV + R2 probe)', path: '/api/health', auth: false },
	{ name: 'GET /api/projects (session + D1 query)', path: '/api/projects', auth: true },
	{ name: 'GET /api/me (session + 3 D1 reads)', path: '/api/me', auth: true },
	{ name: 'GET / (SvelteKit page)', path: '/', auth: false }
];

async function signUp(url: string): Promise<string> {
	const cookie = await signUpResearcher(url);
	for (let index = 0; index < 20; index += 1) {
		await fetch(`${url}/api/projects`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Origin: url, Cookie: cookie },
			body: JSON.stringify({ name: `Project ${index}` })
		});
	}
	return cookie;
}

/** Sends REQUESTS_PER_LEVEL requests round-robin over the targets, `concurrency` at a time, timing each. */
async function measure(url: string, cookie: string, concurrency: number) {
	const samples = new Map<string, number[]>(TARGETS.map((target) => [target.name, []]));
	let next = 0;
	const total = REQUESTS_PER_LEVEL * TARGETS.length;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < total) {
				const target = TARGETS[next++ % TARGETS.length]!;
				const begin = performance.now();
				const response = await fetch(`${url}${target.path}`, { headers: target.auth ? { Cookie: cookie } : {} });
				await response.arrayBuffer();
				if (!response.ok) throw new Error(`${target.path} answered ${response.status}`);
				samples.get(target.name)!.push(performance.now() - begin);
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	return { samples, throughput: total / seconds };
}

const app = await startApp();
try {
	const cookie = await signUp(app.url);
	await measure(app.url, cookie, 4);
	const rows: string[] = [];
	for (const concurrency of CONCURRENCY) {
		const { samples, throughput } = await measure(app.url, cookie, concurrency);
		const baseline = percentile(
			[...samples.get(TARGETS[0]!.name)!].sort((a, b) => a - b),
			50
		);
		for (const target of TARGETS) {
			const sorted = [...samples.get(target.name)!].sort((a, b) => a - b);
			const p50 = percentile(sorted, 50);
			rows.push(`| ${concurrency} | ${target.name} | ${round(p50)} | ${round(percentile(sorted, 99))} | ${round(p50 / baseline)}× |`);
		}
		rows.push(`| ${concurrency} | all targets | | | ${round(throughput, 0)} req/s |`);
	}
	const table = ['| concurrency | request | p50 ms | p99 ms | p50 vs health |', '|---|---|---|---|---|', ...rows].join('\n');
	console.log(table);
	writeSection(
		'api',
		`## API latency through wrangler dev\n\nMethod: \`npm run bench\` builds the app, starts \`wrangler dev --local\` with fresh state, signs up one user with 20 projects, warms up, then sends ${REQUESTS_PER_LEVEL} requests per target round-robin at each concurrency from one Node client on loopback. Latency is client-side wall time per request. Ratios compare each target's p50 with the health probe's p50 measured in the same run, so they hold better than the absolute figures on a shared machine. Machine: ${machine()}.\n\n${table}`
	);
} finally {
	await app.stop();
}
