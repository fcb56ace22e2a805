import { createRequire } from 'node:module';

/**
 * The respondent's side of the interview WebSocket, as a browser with a microphone would be: it
 * says hello, then sends a 40 ms PCM frame every 40 ms of wall clock (speech when there is some
 * queued, silence otherwise), and keeps every frame it receives with the time it arrived. It
 * "plays" the interviewer's audio as the browser would: providers send speech faster than it is
 * spoken, so the interviewer is still talking until the queued audio would have been played
 * (`playback.flush` drops what is queued).
 */

type WsLike = {
	on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
	on(event: 'open' | 'close' | 'error', listener: (...args: unknown[]) => void): void;
	send(data: string | Buffer): void;
	close(): void;
};
// `ws` (a devDependency) sends the Origin header the interview socket checks; Node's own WebSocket cannot.
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, options?: { headers?: Record<string, string> }) => WsLike;

export const FRAME_MS = 40;
const FRAME_BYTES = FRAME_MS * 48;

export type ServerFrame = {
	type: string;
	role?: string;
	text?: string;
	final?: boolean;
	code?: string;
	message?: string;
	provider?: string;
};
export type Received = { at: number; frame: ServerFrame | null; audioBytes: number };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Respondent {
	readonly received: Received[] = [];
	private readonly queue: Buffer[] = [];
	private streaming = false;
	private waiters: Array<() => void> = [];
	private readonly socket: WsLike;
	/** When the interviewer audio received so far will have finished playing. */
	private playedUntil = 0;

	private constructor(socket: WsLike) {
		this.socket = socket;
		socket.on('message', (data, isBinary) => {
			const at = performance.now();
			const frame = isBinary ? null : (JSON.parse(data.toString()) as ServerFrame);
			if (isBinary) this.playedUntil = Math.max(this.playedUntil, at) + data.byteLength / 48;
			if (frame?.type === 'playback.flush') this.playedUntil = at;
			this.received.push({ at, frame, audioBytes: isBinary ? data.byteLength : 0 });
			for (const wake of this.waiters.splice(0)) wake();
		});
	}

	static async connect(appUrl: string, token: string): Promise<Respondent> {
		const socket = new WebSocket(`${appUrl.replace(/^http/, 'ws')}/ws/interview/${token}`, { headers: { Origin: appUrl } });
		await new Promise<void>((resolve, reject) => {
			socket.on('open', () => resolve());
			socket.on('error', (error) => reject(error));
		});
		return new Respondent(socket);
	}

	/** Sends hello and starts the microphone; returns when it was sent. */
	hello(email: string): number {
		this.socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true }));
		const at = performance.now();
		void this.microphone();
		return at;
	}

	/** Queues speech (PCM16 mono 24 kHz) to be sent in real time; resolves when its last frame has gone out. */
	async speak(pcm: Buffer): Promise<void> {
		for (let offset = 0; offset < pcm.byteLength; offset += FRAME_BYTES) {
			const frame = Buffer.alloc(FRAME_BYTES);
			pcm.copy(frame, 0, offset, Math.min(pcm.byteLength, offset + FRAME_BYTES));
			this.queue.push(frame);
		}
		while (this.queue.length > 0) await sleep(FRAME_MS);
	}

	private async microphone(): Promise<void> {
		this.streaming = true;
		const begin = performance.now();
		for (let sequence = 0; this.streaming; sequence += 1) {
			const wait = begin + sequence * FRAME_MS - performance.now();
			if (wait > 0) await sleep(wait);
			if (this.streaming) this.socket.send(this.queue.shift() ?? Buffer.alloc(FRAME_BYTES));
		}
	}

	/** The first received frame after `since` that `pick` accepts, waiting up to `timeoutMs`. */
	async waitFor<T>(what: string, pick: (received: Received) => T | undefined, options: { since?: number; timeoutMs: number }): Promise<T> {
		const deadline = performance.now() + options.timeoutMs;
		for (let index = 0; ;) {
			for (; index < this.received.length; index += 1) {
				const entry = this.received[index]!;
				if (entry.at < (options.since ?? 0)) continue;
				const found = pick(entry);
				if (found !== undefined) return found;
			}
			const left = deadline - performance.now();
			if (left <= 0) throw new Error(`timed out waiting for ${what}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.min(left, 250));
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	/** Waits until interviewer audio has come after `since`, has been played out, and `quietMs` more have passed. */
	async interviewerDone(since: number, quietMs: number, timeoutMs: number): Promise<number> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			const heard = this.received.some((entry) => entry.audioBytes > 0 && entry.at >= since);
			if (heard && performance.now() - this.playedUntil >= quietMs) return this.playedUntil;
			if (performance.now() > deadline) throw new Error('timed out waiting for the interviewer to finish speaking');
			await sleep(100);
		}
	}

	/** How much of the interviewer's audio is still to be played, in ms. */
	playbackLeftMs(): number {
		return Math.max(0, this.playedUntil - performance.now());
	}

	frames(type: string): Received[] {
		return this.received.filter((entry) => entry.frame?.type === type);
	}

	leave(): void {
		this.socket.send(JSON.stringify({ type: 'leave' }));
	}

	close(): void {
		this.streaming = false;
		this.socket.close();
	}
}
