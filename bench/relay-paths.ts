/**
 * The ways a bench frame travels, each as a `Path` that sends 40 ms PCM frames and hears them back:
 * straight to the fake upstream, through the bare relay, and through Parley (a single-use link's
 * socket, or a public link's join and its ticketed socket), plus observers and the timed stream.
 */
import { createRequire } from 'node:module';
import { ECHO_SESSION_UPDATE } from './echo-session.ts';
import { cpuTicks, TICK_MS } from './lib.ts';

export const FRAME_MS = 40;
const FRAME_BYTES = FRAME_MS * 48;
const WARMUP_FRAMES = 10;
export { WARMUP_FRAMES };

type WsLike = {
	on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
	on(event: 'open' | 'close' | 'error', listener: (...args: unknown[]) => void): void;
	once(event: 'close', listener: () => void): void;
	readyState: number;
	send(data: string | Buffer): void;
	close(): void;
};
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, options?: { headers?: Record<string, string> }) => WsLike;

/**
 * A quiet tone, worked out once: the clients share a core with the fake upstream, and at 150
 * interviews every microsecond they spend per frame is a delay counted against the relay.
 */
const TONE = Buffer.alloc(FRAME_BYTES);
for (let index = 2; index < FRAME_BYTES / 2; index += 1) TONE.writeInt16LE(Math.round(Math.sin(index / 10) * 800), index * 2);

/** A frame of the tone whose first four bytes carry its sequence number (a copy: the socket may still hold the last one). */
function frame(sequence: number): Buffer {
	const pcm = Buffer.from(TONE);
	pcm.writeUInt32LE(sequence, 0);
	return pcm;
}

/** `close` resolves once whatever the path leaves behind is done, so the next run starts on a quiet process. */
export type Path = { send(pcm: Buffer): void; onEcho(listener: (pcm: Buffer) => void): void; close(): Promise<void> | void };
export type RelayPath = Path & { interviewId: string };

function opened(socket: WsLike): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.on('open', () => resolve());
		socket.on('error', (error) => reject(error));
	});
}

/**
 * An interview through Parley: a public link's join is asked first (its answer is the ticketed socket
 * path); a single-use link's socket is opened directly, as its join answers with the plain path.
 */
export async function relayPath(
	appUrl: string,
	token: string,
	kind: 'single' | 'public' = 'single',
	email = `bench-${token.slice(0, 8)}@example.com`
): Promise<RelayPath> {
	const path = kind === 'single' ? `/ws/interview/${token}` : await joinPath(appUrl, token, email);
	const socket = new WebSocket(`${appUrl.replace('http', 'ws')}${path}`, { headers: { Origin: appUrl } });
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
	socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true }));
	const interviewId = await welcome;
	return { interviewId, send: (pcm) => socket.send(pcm), onEcho: (listener) => listeners.push(listener), close: () => leave(socket) };
}

/**
 * Ends the interview as a respondent who is done would (`leave`), and waits for the object to close
 * the socket after completing it. A socket merely closed would leave an interview waiting two
 * minutes for a rejoin, and its completion would land in the middle of a later run.
 */
function leave(socket: WsLike): Promise<void> {
	if (socket.readyState !== 1) return Promise.resolve();
	return new Promise((resolve) => {
		const timeout = setTimeout(() => {
			socket.close();
			resolve();
		}, 10_000);
		socket.once('close', () => {
			clearTimeout(timeout);
			resolve();
		});
		socket.send(JSON.stringify({ type: 'leave' }));
	});
}

/** Researchers watching one interview, signed in as the bench's researcher; counts what they receive. */
export async function observers(appUrl: string, cookie: string, interviewId: string, count: number) {
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

export async function directPath(url: string, apiKey: string): Promise<Path> {
	const socket = new WebSocket(`${url.replace('http', 'ws')}?model=gpt-realtime`, { headers: { Authorization: `Bearer ${apiKey}` } });
	await opened(socket);
	const listeners: Array<(pcm: Buffer) => void> = [];
	socket.on('message', (data) => {
		const event = JSON.parse(data.toString()) as { type: string; delta?: string };
		if (event.type === 'response.output_audio.delta') listeners.forEach((listener) => listener(Buffer.from(event.delta!, 'base64')));
	});
	socket.send(ECHO_SESSION_UPDATE);
	return {
		send: (pcm) => socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: pcm.toString('base64') })),
		onEcho: (listener) => listeners.push(listener),
		close: () => socket.close()
	};
}

/** Streams real-time 40 ms frames on every path at once and times each frame's round trip. */
export async function stream(paths: Path[], seconds: number): Promise<{ samples: number[]; lost: number }> {
	const samples: number[] = [];
	let lost = 0;
	const frames = Math.round((seconds * 1000) / FRAME_MS);
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

async function joinPath(appUrl: string, token: string, email: string): Promise<string> {
	const answer = await fetch(`${appUrl}/api/public/links/${token}/join`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: appUrl },
		body: JSON.stringify({ email, consent: true })
	});
	const body = (await answer.json()) as { url?: string; refused?: { message: string } };
	if (!body.url) throw new Error(`join refused: ${body.refused?.message ?? answer.status}`);
	return body.url;
}

/** The bare relay (bench/workers/bare-relay.ts): one Durable Object per connection, base64 both ways, nothing else. */
export async function barePath(bareUrl: string): Promise<Path> {
	const socket = new WebSocket(`${bareUrl.replace('http', 'ws')}/relay`);
	await opened(socket);
	const listeners: Array<(pcm: Buffer) => void> = [];
	socket.on('message', (data, isBinary) => {
		if (isBinary) listeners.forEach((listener) => listener(data));
	});
	return { send: (pcm) => socket.send(pcm), onEcho: (listener) => listeners.push(listener), close: () => socket.close() };
}

/**
 * A timed stream, the CPU time the relay's processes spent on its frames, and how busy the bench's
 * own process (the clients and the fake upstream, on a core of their own) was meanwhile: near a
 * whole core, the clients' own delays would be counted against the relay.
 */
export type Measured = { samples: number[]; lost: number; cpuMs: number; frames: number; clientsBusy: number };

/** `stream`, counting the CPU time the processes of `groups` (a relay's app; none for a direct path) spend while it runs. */
export async function streamCountingCpu(paths: Path[], seconds: number, groups: number[]): Promise<Measured> {
	const before = cpuTicks(groups);
	const [clientsBefore, startedAt] = [process.cpuUsage(), performance.now()];
	const result = await stream(paths, seconds);
	const clients = process.cpuUsage(clientsBefore);
	const clientsBusy = (clients.user + clients.system) / 1000 / (performance.now() - startedAt);
	const cpuMs = (cpuTicks(groups) - before) * TICK_MS;
	return { ...result, cpuMs, frames: paths.length * Math.round((seconds * 1000) / FRAME_MS), clientsBusy };
}

/** CPU time per frame relayed (both ways), in microseconds. */
export const cpuPerFrameUs = (measured: Pick<Measured, 'cpuMs' | 'frames'>) => (measured.cpuMs * 1000) / measured.frames;
