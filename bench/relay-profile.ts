// Relay profile: what each of Parley's per-frame costs does to a relay by itself. The bare relay
// (bench/workers/bare-relay.ts) runs beside variants of it (bench/workers/relay-variant.ts) that add
// one cost back: the client's socket as a hibernation event per frame, an SQLite write of both
// directions every 250 ms (as the recording does), or both. Each variant is its own `wrangler dev`,
// all started before the first run; at each level they stream one after the other, in rounds.
import { loadavg, tmpdir } from 'node:os';
import { startFakeRealtime } from '../test/fakes/openai-realtime.ts';
import { startApp } from '../test/e2e/server.ts';
import { benchStateDir, machine, percentile, pinRelays, round, writeSection } from './lib.ts';
import { barePath, cpuPerFrameUs, stream, streamCountingCpu } from './relay-paths.ts';

const LEVELS = (process.env.BENCH_PROFILE_LEVELS ?? '1,50,100').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_PROFILE_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 6);

const MEMORY = benchStateDir();
const DISK = process.env.BENCH_DISK_DIR ?? tmpdir();
const VARIANT = 'bench/workers/relay-variant.ts';
const VARIANTS = [
	{ name: 'bare relay: `accept()`, no writes', script: 'bench/workers/bare-relay.ts', vars: {}, stateIn: MEMORY },
	{ name: 'hibernatable socket, no writes', script: VARIANT, vars: { RELAY_SOCKET: 'hibernate', RELAY_RECORD: '0' }, stateIn: MEMORY },
	{ name: '`accept()`, a write every 250 ms', script: VARIANT, vars: { RELAY_SOCKET: 'accept', RELAY_RECORD: '250' }, stateIn: MEMORY },
	{
		name: '`accept()`, a write every 250 ms, state on disk',
		script: VARIANT,
		vars: { RELAY_SOCKET: 'accept', RELAY_RECORD: '250' },
		stateIn: DISK
	},
	{
		name: 'hibernatable socket, a write every 250 ms',
		script: VARIANT,
		vars: { RELAY_SOCKET: 'hibernate', RELAY_RECORD: '250' },
		stateIn: MEMORY
	}
] as const;

const fake = await startFakeRealtime({ mode: 'echo' });
const upstream = { OPENAI_API_KEY: fake.apiKey, OPENAI_REALTIME_URL: fake.url };
const apps = await Promise.all(
	VARIANTS.map((variant) => startApp({ ...upstream, ...variant.vars }, { script: variant.script, stateIn: variant.stateIn }))
);
const pinned = pinRelays(apps.map((app) => app.processGroup));
try {
	// Warm-up, not recorded: each app's first connection pays for compiling its code.
	for (const app of apps) {
		const path = await barePath(app.url);
		await stream([path], 2);
		path.close();
	}
	const loadBefore = loadavg()[0]!;
	const rows: string[] = [];
	for (const level of LEVELS) {
		const samples = VARIANTS.map(() => [] as number[]);
		const lost = VARIANTS.map(() => 0);
		const cpuMs = VARIANTS.map(() => 0);
		const frames = VARIANTS.map(() => 0);
		for (let round = 0; round < ROUNDS; round += 1) {
			// One order in a round, the reverse in the next, so the load's drift weighs on every relay alike.
			const order = round % 2 === 0 ? [...apps.entries()] : [...apps.entries()].reverse();
			for (const [index, app] of order) {
				const paths = await Promise.all(Array.from({ length: level }, () => barePath(app.url)));
				const result = await streamCountingCpu(paths, SECONDS, [app.processGroup]);
				cpuMs[index]! += result.cpuMs;
				frames[index]! += result.frames;
				await Promise.all(paths.map((path) => path.close()));
				samples[index]!.push(...result.samples);
				lost[index]! += result.lost;
			}
		}
		const sorted = samples.map((each) => each.sort((a, b) => a - b));
		const [base50, base99] = [percentile(sorted[0]!, 50), percentile(sorted[0]!, 99)];
		const cpuPerFrame = VARIANTS.map((_, index) => cpuPerFrameUs({ cpuMs: cpuMs[index]!, frames: frames[index]! }));
		for (const [index, variant] of VARIANTS.entries()) {
			const [p50, p99] = [percentile(sorted[index]!, 50), percentile(sorted[index]!, 99)];
			rows.push(
				`| ${level} | ${variant.name} | ${round(p50)} | ${round(p99)} | ${round(p50 / base50)}× | ${round(p99 / base99)}× | ${lost[index]} | ${round(cpuPerFrame[index]!, 0)} | ${round(cpuPerFrame[index]! / cpuPerFrame[0]!)}× |`
			);
			console.log(rows.at(-1));
		}
	}
	const table = [
		'| interviews | relay | p50 ms | p99 ms | p50 / bare | p99 / bare | frames lost | CPU per frame, µs | CPU / bare |',
		'|---|---|---|---|---|---|---|---|---|',
		...rows
	].join('\n');
	writeSection(
		'relay-profile',
		`## Relay profile: the costs one at a time\n\nMethod: \`npm run bench:relay-profile\` starts the fake OpenAI Realtime server in echo mode and five relays, each in its own \`wrangler dev --local\`: the bare relay of the table above, and \`bench/workers/relay-variant.ts\` with one or two of Parley's costs added back: the client's socket taken for hibernation (\`ctx.acceptWebSocket\`, so every frame is a \`webSocketMessage\` event) instead of \`accept()\` with a listener, an SQLite write of what both directions carried every 250 ms (Parley's recording interval), or both. Every relay keeps its local state in ${MEMORY} except the one marked "state on disk" (${DISK}): local Durable Object storage is SQLite files, and each commit waits on the disk on workerd's one thread, which production's replicated storage does not do, so that row shows what the disk adds here. At each level, that many connections stream real-time 40 ms frames for ${SECONDS} s through each relay in turn, in ${ROUNDS} rounds (one order, then the reverse), and the rounds' samples are pooled per relay${pinned ? ` (${pinned})` : ''}; the ratios compare each relay with the bare one at the same level. CPU per frame is the time the relay's processes (its \`wrangler dev\` and workerd) spent while the frames streamed, from /proc, per frame relayed both ways: it counts what a cost takes from the core, which latency shows only once the core is busy. Timing counters inside the Durable Object cannot do this: workerd does not advance \`Date.now()\` or \`performance.now()\` while code runs. Machine: ${machine()}; 1-minute load average ${round(loadBefore, 1)} before and ${round(loadavg()[0]!, 1)} after.\n\n${table}`
	);
} finally {
	await Promise.all(apps.map((app) => app.stop()));
	await fake.close();
}
