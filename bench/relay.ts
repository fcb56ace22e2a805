// Relay latency: a 40 ms PCM frame from a browser-like client → Worker → Interview DO → (fake) OpenAI
// Realtime → back to the client, through `wrangler dev --local`, against a client talking to the same
// fake upstream directly. The fake runs in echo mode: every appended chunk comes straight back as an
// audio delta. Loopback only; each level streams for a bounded time. Each level also runs with
// BENCH_RELAY_OBSERVERS researchers watching every interview (default 5; 0 skips that run), to show
// what observers cost the audio path.
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { startFakeRealtime } from '../test/fakes/openai-realtime.ts';
import { startApp } from '../test/e2e/server.ts';
import { machine, percentile, round, writeSection } from './lib.ts';

const LEVELS = (process.env.BENCH_RELAY_LEVELS ?? '1,10,50').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_RELAY_SECONDS ?? 6);
const OBSERVERS = Number(process.env.BENCH_RELAY_OBSERVERS ?? 5);
const FRAME_MS = 40;
const FRAME_BYTES = FRAME_MS * 48;
const WARMUP_FRAMES = 10;

type WsLike = {
	on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
	on(event: 'open' | 'close' | 'error', listener: (...args: unknown[]) => void): void;
	send(data: string | Buffer): void;
	close(): void;
};
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, options?: { headers?: Record<string, string> }) => WsLike;

/** A frame whose first four bytes carry its sequence number; the rest is a quiet tone. */
function frame(sequence: number): Buffer {
	const pcm = Buffer.alloc(FRAME_BYTES);
	for (let index = 2; index < FRAME_BYTES / 2; index += 1) pcm.writeInt16LE(Math.round(Math.sin(index / 10) * 800), index * 2);
	pcm.writeUInt32LE(sequence, 0);
	return pcm;
}

type Path = { send(pcm: Buffer): void; onEcho(listener: (pcm: Buffer) => void): void; close(): void };
type RelayPath = Path & { interviewId: string };

function opened(socket: WsLike): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.on('open', () => resolve());
		socket.on('error', (error) => reject(error));
	});
}

async function relayPath(appUrl: string, token: string): Promise<RelayPath> {
	const socket = new WebSocket(`${appUrl.replace('http', 'ws')}/ws/interview/${token}`, { headers: { Origin: appUrl } });
	await opened(socket);
	const listeners: Array<(pcm: Buffer) => void> = [];
	const welcome = new Promise<string>((resolve, reject) => {
		socket.on('message', (data, isBinary) => {
			if (isBinary) return listeners.forEach((listener) => listener(data));
			const message = JSON.parse(data.toString()) as { type: string; message?: string; interview?: string };
			if (message.type === 'welcome') resolve(message.interview!);
			if (message.type === 'error') reject(new Error(message.message));
		});
	});
	socket.send(JSON.stringify({ type: 'hello', protocol: 1, email: `bench-${token.slice(0, 8)}@example.com`, consent: true }));
	const interviewId = await welcome;
	return { interviewId, send: (pcm) => socket.send(pcm), onEcho: (listener) => listeners.push(listener), close: () => socket.close() };
}

/** Researchers watching one interview, signed in as the bench's researcher; counts what they receive. */
async function observers(appUrl: string, cookie: string, interviewId: string, count: number) {
	let frames = 0;
	let audioFrames = 0;
	const sockets = await Promise.all(
		Array.from({ length: count }, async () => {
			const socket = new WebSocket(`${appUrl.replace('http', 'ws')}/ws/observe/${interviewId}`, {
				headers: { Origin: appUrl, Cookie: cookie }
			});
			const welcomed = new Promise<void>((resolve, reject) => {
				socket.on('message', (data, isBinary) => {
					frames += 1;
					if (isBinary) audioFrames += 1;
					const message = isBinary ? null : (JSON.parse(data.toString()) as { type: string; message?: string });
					if (message?.type === 'observe.welcome') resolve();
					if (message?.type === 'error') reject(new Error(message.message));
				});
			});
			await opened(socket);
			await welcomed;
			return socket;
		})
	);
	return { received: () => ({ frames, audioFrames }), close: () => sockets.forEach((socket) => socket.close()) };
}

async function directPath(url: string, apiKey: string): Promise<Path> {
	const socket = new WebSocket(`${url.replace('http', 'ws')}?model=gpt-realtime`, { headers: { Authorization: `Bearer ${apiKey}` } });
	await opened(socket);
	const listeners: Array<(pcm: Buffer) => void> = [];
	socket.on('message', (data) => {
		const event = JSON.parse(data.toString()) as { type: string; delta?: string };
		if (event.type === 'response.output_audio.delta') listeners.forEach((listener) => listener(Buffer.from(event.delta!, 'base64')));
	});
	socket.send(
		JSON.stringify({
			type: 'session.update',
			session: {
				type: 'realtime',
				instructions: 'bench',
				audio: {
					input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } },
					output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin' }
				}
			}
		})
	);
	return {
		send: (pcm) => socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: pcm.toString('base64') })),
		onEcho: (listener) => listeners.push(listener),
		close: () => socket.close()
	};
}

/** Streams real-time 40 ms frames on every path at once and times each frame's round trip. */
async function stream(paths: Path[]): Promise<{ samples: number[]; lost: number }> {
	const samples: number[] = [];
	let lost = 0;
	const frames = Math.round((SECONDS * 1000) / FRAME_MS);
	await Promise.all(
		paths.map(async (path, index) => {
			const sentAt = new Map<number, number>();
			path.onEcho((pcm) => {
				// The DO may coalesce or split frames on the way back; time each frame by its header.
				for (let offset = 0; offset + FRAME_BYTES <= pcm.byteLength; offset += FRAME_BYTES) {
					const sequence = pcm.readUInt32LE(offset);
					const start = sentAt.get(sequence);
					if (start === undefined) continue;
					sentAt.delete(sequence);
					if (sequence >= WARMUP_FRAMES) samples.push(performance.now() - start);
				}
			});
			await new Promise((resolve) => setTimeout(resolve, (index * FRAME_MS) / paths.length));
			const begin = performance.now();
			for (let sequence = 0; sequence < frames; sequence += 1) {
				const due = begin + sequence * FRAME_MS;
				const wait = due - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				sentAt.set(sequence, performance.now());
				path.send(frame(sequence));
			}
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			lost += sentAt.size;
		})
	);
	return { samples: samples.sort((a, b) => a - b), lost };
}

const fake = await startFakeRealtime({ mode: 'echo' });
const app = await startApp({ AI_PROVIDER: 'openai', OPENAI_API_KEY: fake.apiKey, OPENAI_REALTIME_URL: fake.url, SIGNUP_TOKENS: '1000000' });
try {
	const origin = app.url;
	const json = { 'Content-Type': 'application/json', Origin: origin };
	const signup = await fetch(`${origin}/api/auth/sign-up/email`, {
		method: 'POST',
		headers: json,
		body: JSON.stringify({ name: 'Bench', email: `bench-${Date.now()}@example.com`, password: 'bench-password-long-enough' })
	});
	const cookie = signup.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((line) => line?.includes('session_token='));
	if (!cookie) throw new Error(`sign-up failed: ${signup.status}`);
	const headers = { ...json, Cookie: cookie };
	const guide = { sections: [{ id: 's1', title: 'Relay', questions: [{ id: 'q1', text: 'How is the connection?', probes: [] }] }] };
	const project = (await (
		await fetch(`${origin}/api/projects`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ name: 'Relay bench', researchGoals: 'Measure the relay.', interviewGuide: guide })
		})
	).json()) as { id: string };
	const interviewer = (await (
		await fetch(`${origin}/api/projects/${project.id}/interviewers`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ name: 'Bench', durationMinutes: 5, voice: 'marin' })
		})
	).json()) as { id: string };
	const tokens: string[] = [];
	// The observer comparison streams a watched and an unwatched group side by side: two more sets of links.
	const runs = OBSERVERS > 0 ? 3 : 1;
	const needed = LEVELS.reduce((sum, level) => sum + level, 0) * runs + 1;
	while (tokens.length < needed) {
		const created = await fetch(`${origin}/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ kind: 'single', count: Math.min(10, needed - tokens.length) })
		});
		if (created.status !== 201) throw new Error(`links: ${created.status} ${await created.text()}`);
		tokens.push(...((await created.json()) as { links: Array<{ token: string }> }).links.map((link) => link.token));
	}

	// Warm-up, not recorded: the first interview pays for the Durable Object code's first compile.
	const warm = await relayPath(origin, tokens.shift()!);
	await stream([warm]);
	warm.close();

	const rows: string[] = [];
	const observerRows: string[] = [];
	const loadBefore = loadavg()[0]!;
	for (const level of LEVELS) {
		const direct = await Promise.all(Array.from({ length: level }, () => directPath(fake.url, fake.apiKey)));
		const directResult = await stream(direct);
		direct.forEach((path) => path.close());

		const relay = await Promise.all(tokens.splice(0, level).map((token) => relayPath(origin, token)));
		const relayResult = await stream(relay);
		relay.forEach((path) => path.close());

		if (OBSERVERS > 0) {
			// Both groups stream at the same time, so the machine's load (shared, and changing) weighs on them alike.
			const unwatched = await Promise.all(tokens.splice(0, level).map((token) => relayPath(origin, token)));
			const watched = await Promise.all(tokens.splice(0, level).map((token) => relayPath(origin, token)));
			const watching = await Promise.all(watched.map((path) => observers(origin, cookie, path.interviewId, OBSERVERS)));
			const [plainResult, watchedResult] = await Promise.all([stream(unwatched), stream(watched)]);
			const received = watching.map((each) => each.received());
			watching.forEach((each) => each.close());
			[...unwatched, ...watched].forEach((path) => path.close());
			const [p50, p99] = [percentile(plainResult.samples, 50), percentile(plainResult.samples, 99)];
			const [w50, w99] = [percentile(watchedResult.samples, 50), percentile(watchedResult.samples, 99)];
			// Each observer's welcome is one frame; anything more arrived while the audio streamed.
			const during = received.reduce((sum, each) => sum + each.frames, 0) - level * OBSERVERS;
			const audio = received.reduce((sum, each) => sum + each.audioFrames, 0);
			// A saturated process returns no frame in time: say so rather than print NaN.
			const ms = (value: number) => (Number.isNaN(value) ? 'none back' : String(round(value)));
			const ratio = (a: number, b: number) => (Number.isNaN(a / b) ? '—' : `${round(a / b)}×`);
			observerRows.push(
				`| ${level} + ${level} | ${level * OBSERVERS} | ${ms(p50)} | ${ms(w50)} | ${ratio(w50, p50)} | ${ms(p99)} | ${ms(w99)} | ${ratio(w99, p99)} | ${plainResult.lost} / ${watchedResult.lost} | ${during} | ${audio} |`
			);
			console.log(observerRows.at(-1));
		}

		const d50 = percentile(directResult.samples, 50);
		const r50 = percentile(relayResult.samples, 50);
		const d99 = percentile(directResult.samples, 99);
		const r99 = percentile(relayResult.samples, 99);
		rows.push(
			`| ${level} | ${round(d50)} | ${round(d99)} | ${round(r50)} | ${round(r99)} | +${round(r50 - d50)} | ${round(r50 / d50, 1)}× | ${relayResult.samples.length} | ${relayResult.lost} |`
		);
		console.log(rows.at(-1));
	}
	const table = [
		'| interviews | direct p50 ms | direct p99 ms | relay p50 ms | relay p99 ms | added p50 ms | p50 ratio | frames timed | frames lost |',
		'|---|---|---|---|---|---|---|---|---|',
		...rows
	].join('\n');
	console.log(table);
	const observerTable =
		OBSERVERS > 0
			? [
					'',
					`### With ${OBSERVERS} observers per interview`,
					'',
					`Method: at each level, right after the run above, two groups of that many new interviews stream the same way at the same time, one unwatched and one with ${OBSERVERS} researchers watching each interview (\`/ws/observe/:interviewId\` with the bench researcher's session cookie, each welcomed before the audio starts). Streaming both groups together puts them under the same load, so their ratio holds where the absolute figures, and any comparison across runs, do not: the machine is shared and its load changes from one run to the next. Twice as many interviews stream as in the row above, so compare within a row, not with the table above. In echo mode the fake sends no transcripts, so observers get their welcome and then nothing while audio flows: the run measures what watching costs the audio path (observer sockets held by each Durable Object, hibernatable), not the cost of relaying turns to them, which happens once per turn, not per frame.`,
					'',
					`| interviews (unwatched + watched) | observers | p50 ms, 0 observers | p50 ms, ${OBSERVERS} observers | p50 ratio | p99 ms, 0 observers | p99 ms, ${OBSERVERS} observers | p99 ratio | frames lost (0 / ${OBSERVERS} observers) | frames observers got while audio streamed | audio frames observers got |`,
					'|---|---|---|---|---|---|---|---|---|---|---|',
					...observerRows
				].join('\n')
			: '';
	console.log(observerTable);
	writeSection(
		'relay',
		`## Voice relay latency (browser → Interview DO → OpenAI Realtime → browser)\n\nMethod: \`node bench/relay.ts\` (after \`vite build\`) starts a fake OpenAI Realtime server in echo mode (each \`input_audio_buffer.append\` comes straight back as \`response.output_audio.delta\`) and \`wrangler dev --local\` with \`AI_PROVIDER=openai\` pointed at it. At each level, that many interviews each stream real-time 40 ms PCM frames for ${SECONDS} s: once straight to the fake (the baseline: JSON + base64 over one WebSocket), then through the Worker and one Interview DO per interview (binary in, base64 upstream, base64 decoded and sent back as binary, both tracks recorded to DO storage). A frame's time is from send to the echo's arrival, matched by a sequence number in its first bytes; the first ${WARMUP_FRAMES} frames per interview are not timed, and one unrecorded interview warms the app up first. The added latency column is the figure to read: the direct path is a sub-millisecond loopback hop, so the ratio is large by construction. Under \`wrangler dev\` every Durable Object shares one local workerd process (on this machine, alongside the Node clients and the fake), so the 50-interview row shows that one process saturating rather than what spread-out objects would do in production. Loopback only; the clients and the fake share one Node process, so the direct column also shows that process's own load. Machine: ${machine()}; 1-minute load average ${round(loadBefore, 1)} before and ${round(loadavg()[0]!, 1)} after (other work shared the machine, so treat absolute figures as rough).\n\n${table}\n${observerTable}`
	);
} finally {
	await app.stop();
	await fake.close();
}
