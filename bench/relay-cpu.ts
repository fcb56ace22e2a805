// Where Parley's relay spends its CPU: workerd's inspector samples the app (its Worker and every
// Interview Durable Object share one isolate under `wrangler dev`) while BENCH_CPU_INTERVIEWS
// single-use interviews stream real-time 40 ms frames through the fake OpenAI Realtime server in
// echo mode, and the samples are added up by function. It names the functions that cost; the
// relay bench's CPU column says how much the whole costs.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startFakeRealtime } from '../test/fakes/openai-realtime.ts';
import { startApp } from '../test/e2e/server.ts';
import { benchStateDir, machine, pinRelays, round, waitUntilIdle, writeSection } from './lib.ts';
import { setUpParley } from './parley-study.ts';
import { cpuPerFrameUs, relayPath, stream, streamCountingCpu, type RelayPath } from './relay-paths.ts';

const INTERVIEWS = Number(process.env.BENCH_CPU_INTERVIEWS ?? 100);
const SECONDS = Number(process.env.BENCH_CPU_SECONDS ?? 6);
const TOP = Number(process.env.BENCH_CPU_TOP ?? 20);
const SAMPLING_US = 100;
/** Where to save the raw profile as a `.cpuprofile` (Chrome DevTools opens it), when set. */
const PROFILE_OUT = process.env.BENCH_CPU_PROFILE;

type Inspector = { call<T>(method: string, params?: object): Promise<T>; close(): void };
type ProfileNode = { id: number; callFrame: { functionName: string; url: string } };
type Profile = { nodes: ProfileNode[]; samples: number[] };

const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => {
	on(event: 'open' | 'error', listener: (error?: Error) => void): void;
	on(event: 'message', listener: (data: Buffer) => void): void;
	send(data: string): void;
	close(): void;
};

/** A Chrome DevTools protocol session with the app's isolate, through wrangler's inspector proxy. */
async function inspect(port: number): Promise<Inspector> {
	const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
	const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
	await new Promise<void>((resolve, reject) => {
		socket.on('open', () => resolve());
		socket.on('error', (error) => reject(error ?? new Error('inspector refused')));
	});
	const pending = new Map<number, (result: unknown) => void>();
	socket.on('message', (data) => {
		const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
		if (message.id !== undefined) pending.get(message.id)?.(message.result);
	});
	let next = 0;
	return {
		call: <T>(method: string, params = {}) =>
			new Promise<T>((resolve) => {
				next += 1;
				pending.set(next, resolve as (result: unknown) => void);
				socket.send(JSON.stringify({ id: next, method, params }));
			}),
		close: () => socket.close()
	};
}

/** Where a function's code comes from: the app's bundle, the runtime's own JavaScript, or the VM (native code, GC, idle). */
function origin(url: string): 'Parley and its libraries' | 'runtime JavaScript' | 'VM and native' {
	if (url === '') return 'VM and native';
	return url.startsWith('node-internal:') || url.startsWith('cloudflare-internal:') ? 'runtime JavaScript' : 'Parley and its libraries';
}

/** Self-time shares of the busy samples (idle left out), by function and by origin. */
function summarise(profile: Profile) {
	const selfSamples = new Map<number, number>();
	for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
	// Keyed by origin and name: the runtime's `toString` is not the VM's.
	const byFunction = new Map<string, { name: string; samples: number; origin: string }>();
	let busy = 0;
	for (const node of profile.nodes) {
		const samples = selfSamples.get(node.id) ?? 0;
		const name = node.callFrame.functionName || '(anonymous)';
		if (name === '(idle)' || samples === 0) continue;
		busy += samples;
		const from = origin(node.callFrame.url);
		const entry = byFunction.get(`${from} ${name}`) ?? { name, samples: 0, origin: from };
		entry.samples += samples;
		byFunction.set(`${from} ${name}`, entry);
	}
	const byOrigin = new Map<string, number>();
	for (const { samples, origin: from } of byFunction.values()) byOrigin.set(from, (byOrigin.get(from) ?? 0) + samples);
	const share = (samples: number) => `${round((100 * samples) / busy, 1)}%`;
	return {
		busyShare: `${round((100 * busy) / profile.samples.length, 1)}%`,
		functions: [...byFunction.values()]
			.sort((a, b) => b.samples - a.samples)
			.map((entry) => ({ name: entry.name, origin: entry.origin, share: share(entry.samples) })),
		origins: [...byOrigin].sort((a, b) => b[1] - a[1]).map(([from, samples]) => ({ origin: from, share: share(samples) }))
	};
}

const fake = await startFakeRealtime({ mode: 'echo' });
const app = await startApp(
	{ AI_PROVIDER: 'openai', OPENAI_API_KEY: fake.apiKey, OPENAI_REALTIME_URL: fake.url, SIGNUP_TOKENS: '10000000' },
	{ stateIn: benchStateDir() }
);
const pinned = pinRelays([app.processGroup]);
try {
	const parley = await setUpParley(app.url, 2 * INTERVIEWS);
	const interviews = () => Promise.all(Array.from({ length: INTERVIEWS }, () => relayPath(app.url, parley.tokens.shift()!)));
	const end = async (paths: RelayPath[]) => {
		await Promise.all(paths.map((path) => path.close()));
		await waitUntilIdle([app.processGroup]);
	};
	// Warm-up, not profiled: the code's first compile, and the first interviews' objects.
	const warm = await interviews();
	await stream(warm, 3);
	await end(warm);

	const paths = await interviews();
	await waitUntilIdle([app.processGroup]);
	const inspector = await inspect(app.inspectorPort);
	await inspector.call('Profiler.enable');
	await inspector.call('Profiler.setSamplingInterval', { interval: SAMPLING_US });
	await inspector.call('Profiler.start');
	const result = await streamCountingCpu(paths, SECONDS, [app.processGroup]);
	const { profile } = await inspector.call<{ profile: Profile }>('Profiler.stop');
	inspector.close();
	await end(paths);
	if (PROFILE_OUT) writeFileSync(PROFILE_OUT, JSON.stringify(profile));

	const summary = summarise(profile);
	const functions = [
		'| function | where it comes from | share of busy samples |',
		'|---|---|---|',
		...summary.functions.slice(0, TOP).map((each) => `| \`${each.name}\` | ${each.origin} | ${each.share} |`)
	].join('\n');
	const origins = [
		'| where | share of busy samples |',
		'|---|---|',
		...summary.origins.map((each) => `| ${each.origin} | ${each.share} |`)
	].join('\n');
	console.log(`CPU per frame: ${round(cpuPerFrameUs(result), 0)} µs`);
	console.log(origins);
	console.log(functions);
	writeSection(
		'relay-cpu',
		`## Where the relay's CPU goes\n\nMethod: \`npm run bench:relay-cpu\` starts the fake OpenAI Realtime server in echo mode and Parley under \`wrangler dev --local\` (state in ${benchStateDir()}${pinned ? `; ${pinned}` : ''}), warms it up with ${INTERVIEWS} interviews, then opens ${INTERVIEWS} single-use interviews, waits until the app is idle, and streams real-time 40 ms frames on all of them for ${SECONDS} s while workerd's inspector samples the app's isolate every ${SAMPLING_US} µs (the Worker and every Interview Durable Object run in that one isolate locally). A sample counts for the function running at that moment (self time); the shares are of the samples in which the isolate was busy (${summary.busyShare} of them; the rest it was idle). Function names are those of the bundled code; "VM and native" holds garbage collection, the VM's own work and the runtime's native calls (a socket's \`send\`, SQLite's \`exec\`), "runtime JavaScript" workerd's Node.js compatibility code (\`Buffer\`, timers). ${round(result.samples.length / 1000, 1)}k frames were timed, ${result.lost} lost; the app's processes spent ${round(cpuPerFrameUs(result), 0)} µs of CPU per frame, sampling included (the relay table's column is measured without it). Machine: ${machine()}.\n\n${origins}\n\nThe ${TOP} functions with the most self time:\n\n${functions}`
	);
} finally {
	await app.stop();
	await fake.close();
}
