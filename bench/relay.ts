// Relay latency: a 40 ms PCM frame from a browser-like client → Worker → Interview DO → (fake) OpenAI
// Realtime → back to the client, through `wrangler dev --local`, side by side with the same frames
// sent straight to the fake upstream and through a bare relay (bench/workers/bare-relay.ts) in its own
// `wrangler dev`. The fake runs in echo mode: every appended chunk comes straight back as an audio
// delta. Each level runs for single-use and for public links (a public link's join is asked over HTTP
// first, then its socket goes straight to the interview). Levels up to BENCH_RELAY_OBSERVER_MAX also
// stream with BENCH_RELAY_OBSERVERS researchers watching every interview (default 5; 0 skips it).
import { loadavg } from 'node:os';
import { startFakeRealtime } from '../test/fakes/openai-realtime.ts';
import { startApp, type RunningApp } from '../test/e2e/server.ts';
import { benchStateDir, machine, percentile, pinRelays, round, waitUntilIdle, writeSection } from './lib.ts';
import { setUpParley, type Parley } from './parley-study.ts';
import {
	barePath,
	cpuPerFrameUs,
	directPath,
	observers,
	relayPath,
	stream,
	streamCountingCpu,
	WARMUP_FRAMES,
	type Measured,
	type Path
} from './relay-paths.ts';

const LEVELS = (process.env.BENCH_RELAY_LEVELS ?? '1,10,50,100,150').split(',').map(Number);
const KINDS = (process.env.BENCH_RELAY_LINKS ?? 'single,public').split(',') as Array<'single' | 'public'>;
const SECONDS = Number(process.env.BENCH_RELAY_SECONDS ?? 6);
const OBSERVERS = Number(process.env.BENCH_RELAY_OBSERVERS ?? 5);
const OBSERVER_MAX = Number(process.env.BENCH_RELAY_OBSERVER_MAX ?? 50);
/** Each level runs every path this many times, in turn, and pools the samples: the machine's load drifts within a level. */
const ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 4);

const ms = (value: number) => (Number.isNaN(value) ? 'none back' : String(round(value)));
const ratio = (a: number, b: number) => (Number.isNaN(a / b) ? '—' : `${round(a / b)}×`);
/** What Parley adds over the bare relay, signed (a negative figure is noise in Parley's favour). */
const added = (a: number, b: number) => {
	if (Number.isNaN(a - b)) return '—';
	const difference = round(a - b);
	return difference === 0 ? '0' : `${difference > 0 ? '+' : '−'}${Math.abs(difference)}`;
};
const p = (result: { samples: number[] }, at: number) => percentile(result.samples, at);

let respondents = 0;
const parleyPaths = (parley: Parley, kind: 'single' | 'public', count: number) =>
	Promise.all(
		Array.from({ length: count }, () => {
			respondents += 1;
			const token = kind === 'single' ? parley.tokens.shift()! : parley.publicToken;
			return relayPath(parley.origin, token, kind, `bench-${respondents}@example.com`);
		})
	);

const settled: number[] = [];
/** The busiest the bench's own core (clients and fake upstream) got while streaming, by number of connections. */
const clientsBusiest = new Map<number, number>();

/** Ends the paths' interviews, then waits for both apps to go idle (what the run left behind lands before the next). */
async function finish(paths: Path[]): Promise<void> {
	await Promise.all(paths.map((path) => path.close()));
	settled.push(await waitUntilIdle([app.processGroup, bare.processGroup]));
}

/** Streams on the paths; `relay` is the app they go through, whose CPU time is counted while they stream. */
async function measure(paths: Path[], relay?: RunningApp, label = 'warm-up'): Promise<Measured> {
	// A welcome is not the end of a join: each interview opens its provider session after it.
	const joinedIdleMs = await waitUntilIdle([app.processGroup, bare.processGroup]);
	const measured = await streamCountingCpu(paths, SECONDS, relay ? [relay.processGroup] : []);
	clientsBusiest.set(paths.length, Math.max(clientsBusiest.get(paths.length) ?? 0, measured.clientsBusy));
	await finish(paths);
	console.log(
		`  ${label} × ${paths.length}: p50 ${ms(percentile(measured.samples, 50))}, p99 ${ms(percentile(measured.samples, 99))}, lost ${measured.lost}, CPU per frame ${cpuPerFrame(measured)} µs, clients' core ${Math.round(100 * measured.clientsBusy)}% busy, idle after joining in ${round(joinedIdleMs / 1000, 1)} s`
	);
	return measured;
}

/** The rounds of one path, pooled (how busy the clients were is kept per level, in `clientsBusiest`). */
function pool(results: Measured[]): Omit<Measured, 'clientsBusy'> {
	const sum = (pick: (result: Measured) => number) => results.reduce((total, result) => total + pick(result), 0);
	return {
		samples: results.flatMap((result) => result.samples).sort((a, b) => a - b),
		lost: sum((result) => result.lost),
		cpuMs: sum((result) => result.cpuMs),
		frames: sum((result) => result.frames)
	};
}

const cpuPerFrame = (result: Pick<Measured, 'cpuMs' | 'frames'>) => round(cpuPerFrameUs(result), 0);

/** The method note on the bench's own core: whether the clients could have been what was slow. */
function clientsLoad(): string {
	const busiest = [...clientsBusiest].filter(([connections]) => LEVELS.includes(connections));
	const figures = busiest.map(([connections, busy]) => `${Math.round(100 * busy)}% of its core at ${connections}`).join(', ');
	const verdict =
		Math.max(...busiest.map(([, busy]) => busy)) < 0.8
			? 'well under a whole core, so its own delays are not what the relay columns show'
			: 'near a whole core at the highest levels, where its own delays are part of every column';
	return `The bench's own process (the clients and the fake upstream) was at its busiest ${figures} connections: ${verdict}.`;
}

const fake = await startFakeRealtime({ mode: 'echo' });
const upstream = { OPENAI_API_KEY: fake.apiKey, OPENAI_REALTIME_URL: fake.url };
const stateIn = benchStateDir();
const app = await startApp({ AI_PROVIDER: 'openai', ...upstream, SIGNUP_TOKENS: '10000000' }, { stateIn });
const bare = await startApp(upstream, { script: 'bench/workers/bare-relay.ts', stateIn });
const pinned = pinRelays([app.processGroup, bare.processGroup]);
try {
	const observed = LEVELS.filter((level) => level <= OBSERVER_MAX).reduce((sum, level) => sum + level, 0);
	const singles = ROUNDS * LEVELS.reduce((sum, level) => sum + level, 0) + (OBSERVERS > 0 ? 2 * observed : 0) + 1;
	const parley = await setUpParley(app.url, singles);

	// Warm-up, not recorded: the first interview (and the first bare relay) pays for the code's first compile.
	await measure(await parleyPaths(parley, 'single', 1));
	await measure([await barePath(bare.url)]);

	const rows: string[] = [];
	const observerRows: string[] = [];
	const loadBefore = loadavg()[0]!;
	for (const level of LEVELS) {
		const runs = { direct: [] as Measured[], bare: [] as Measured[], single: [] as Measured[], public: [] as Measured[] };
		for (let round = 0; round < ROUNDS; round += 1) {
			runs.direct.push(
				await measure(await Promise.all(Array.from({ length: level }, () => directPath(fake.url, fake.apiKey))), undefined, 'direct')
			);
			// The relays take turns in one order, then in the reverse, so the load's drift within a level weighs on each alike.
			const relays = ['bare', ...KINDS] as const;
			for (const relay of round % 2 === 0 ? relays : [...relays].reverse()) {
				const paths =
					relay === 'bare'
						? await Promise.all(Array.from({ length: level }, () => barePath(bare.url)))
						: await parleyPaths(parley, relay, level);
				runs[relay].push(await measure(paths, relay === 'bare' ? bare : app, relay));
			}
		}
		const [direct, bared] = [pool(runs.direct), pool(runs.bare)];
		for (const kind of KINDS) {
			const relayed = pool(runs[kind]);
			const [b50, b99, r50, r99] = [p(bared, 50), p(bared, 99), p(relayed, 50), p(relayed, 99)];
			rows.push(
				`| ${level} | ${kind} | ${ms(p(direct, 50))} | ${ms(b50)} | ${ms(b99)} | ${ms(r50)} | ${ms(r99)} | ${ratio(r50, b50)} | ${ratio(r99, b99)} | ${added(r50, b50)} | ${bared.lost} / ${relayed.lost} | ${cpuPerFrame(bared)} / ${cpuPerFrame(relayed)} |`
			);
			console.log(rows.at(-1));
		}

		if (OBSERVERS > 0 && level <= OBSERVER_MAX) {
			// Both groups stream at the same time, so the machine's load (shared, and changing) weighs on them alike.
			const unwatched = await parleyPaths(parley, 'single', level);
			const watched = await parleyPaths(parley, 'single', level);
			const watching = await Promise.all(watched.map((path) => observers(parley.origin, parley.cookie, path.interviewId, OBSERVERS)));
			await waitUntilIdle([app.processGroup]);
			const [plain, seen] = await Promise.all([stream(unwatched, SECONDS), stream(watched, SECONDS)]);
			// Counted before the interviews end: each observer is then sent `ended`, which is not audio-time traffic.
			const received = watching.map((each) => each.received());
			await finish([...unwatched, ...watched]);
			watching.forEach((each) => each.close());
			// Each observer's welcome is one frame; anything more arrived while the audio streamed.
			const during = received.reduce((sum, each) => sum + each.frames, 0) - level * OBSERVERS;
			const audio = received.reduce((sum, each) => sum + each.audioFrames, 0);
			observerRows.push(
				`| ${level} + ${level} | ${level * OBSERVERS} | ${ms(p(plain, 50))} | ${ms(p(seen, 50))} | ${ratio(p(seen, 50), p(plain, 50))} | ${ms(p(plain, 99))} | ${ms(p(seen, 99))} | ${ratio(p(seen, 99), p(plain, 99))} | ${plain.lost} / ${seen.lost} | ${during} | ${audio} |`
			);
			console.log(observerRows.at(-1));
		}
	}
	const sharing = pinned
		? `here ${pinned}, so the relay being measured has a core to itself, shared only with the other app while it idles`
		: 'here, on every core, alongside the Node clients, the fake and the other app';
	const table = [
		'| interviews | link | direct p50 ms | bare relay p50 ms | bare relay p99 ms | Parley p50 ms | Parley p99 ms | Parley / bare p50 | Parley / bare p99 | Parley added over bare, p50 ms | frames lost (bare / Parley) | CPU per frame, µs (bare / Parley) |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|',
		...rows
	].join('\n');
	console.log(table);
	const observerTable =
		OBSERVERS > 0
			? [
					'',
					`### With ${OBSERVERS} observers per interview`,
					'',
					`Method: at each level up to ${OBSERVER_MAX}, right after the runs above, two groups of that many new single-use interviews stream the same way at the same time, one unwatched and one with ${OBSERVERS} researchers watching each interview (\`/ws/observe/:interviewId\` with the bench researcher's session cookie, each welcomed before the audio starts). Streaming both groups together puts them under the same load, so their ratio holds where absolute figures, and comparisons across runs, do not. Twice as many interviews stream as in the rows above, so compare within a row. In echo mode the fake sends no transcripts, so observers get their welcome and then nothing while audio flows: the run measures what watching costs the audio path (observer sockets held by each Durable Object, hibernatable), not relaying turns to them, which happens once per turn, not per frame.`,
					'',
					`| interviews (unwatched + watched) | observers | p50 ms, 0 observers | p50 ms, ${OBSERVERS} observers | p50 ratio | p99 ms, 0 observers | p99 ms, ${OBSERVERS} observers | p99 ratio | frames lost (0 / ${OBSERVERS} observers) | frames observers got while audio streamed | audio frames observers got |`,
					'|---|---|---|---|---|---|---|---|---|---|---|',
					...observerRows
				].join('\n')
			: '';
	console.log(observerTable);
	writeSection(
		'relay',
		`## Voice relay latency (browser → Interview DO → OpenAI Realtime → browser)\n\nMethod: \`node bench/relay.ts\` (after \`vite build\`) starts a fake OpenAI Realtime server in echo mode (each \`input_audio_buffer.append\` comes straight back as \`response.output_audio.delta\`), Parley under \`wrangler dev --local\` with \`AI_PROVIDER=openai\` pointed at it, and the bare relay (\`bench/workers/bare-relay.ts\`: one Durable Object per connection turning binary frames into base64 appends and audio deltas back into binary frames, nothing else) in a second \`wrangler dev\`. At each level, that many connections each stream real-time 40 ms PCM frames for ${SECONDS} s, one path after the other, in ${ROUNDS} rounds whose samples are pooled per path (the machine's load drifts within a level; the relays run in one order in a round and in the reverse order in the next): straight to the fake (JSON + base64 over one WebSocket), through the bare relay, then through Parley for each link kind (single-use: the socket goes to the link's Durable Object, which admits the hello; public: the join is asked over HTTP and its ticketed socket goes straight to the interview's Durable Object), where each frame is paced against the interview's clock, recorded to DO storage with the interviewer's audio, and relayed; each Parley interview then ends with \`leave\`, and the next run starts once its object has completed it and both apps have gone idle (under 5% of a core for a second; the longest wait was ${round(Math.max(...settled) / 1000, 1)} s), so what a run leaves behind (completions, their queued follow-ups) does not land in the next. Streaming starts once every connection is welcomed and both apps have gone idle: an interview opens its provider session after its welcome, so at 100 joins at once that work would otherwise run into the first second of audio (joining is measured by the D1 and API benches, not here). A frame's time is from send to the echo's arrival, matched by a sequence number in its first bytes; the first ${WARMUP_FRAMES} frames per connection are not timed, and one unrecorded connection of each warms its app up first. Read the Parley / bare columns: both relays run on the same machine in the same run, so their ratio holds better than any absolute figure. The last column is the CPU time the relay's processes (its \`wrangler dev\` and workerd) spent while the frames streamed, from /proc, per frame relayed both ways: what the relay's work costs, which latency shows only once the core is busy. Under \`wrangler dev\` every Durable Object of an app shares one local workerd process (${sharing}), so the highest levels show one process saturating, not what Durable Objects spread across machines do in production. Both apps keep their local state in ${stateIn}: local Durable Object storage is SQLite files whose commits wait on the disk on workerd's one thread, which production's replicated storage does not do (the relay profile below measures what the disk adds; \`BENCH_STATE_DIR\` moves it). ${clientsLoad()} Machine: ${machine()}; 1-minute load average ${round(loadBefore, 1)} before and ${round(loadavg()[0]!, 1)} after (treat absolute figures as rough).\n\n${table}\n${observerTable}`
	);
} finally {
	await app.stop();
	await bare.stop();
	await fake.close();
}
