import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	MAX_HELD_MS,
	reportDropped,
	Upstream,
	UpstreamError,
	UPSTREAM_DROPS,
	WARN_AFTER_ATTEMPT,
	type UpstreamOptions,
	type UpstreamProtocol
} from '../../worker/ai/upstream';
import { FRAME_BYTES } from '../../worker/contracts/protocol-constants';

/** The side of a provider socket the engine uses, recording what was sent; the test plays the provider. */
class FakeSocket extends EventTarget {
	readonly sent: Array<string | ArrayBuffer> = [];
	/** What the socket has queued and not yet sent: a slow provider is played by raising it. */
	bufferedAmount = 0;
	/** The code of each close the engine asked for (undefined: closed without one). */
	readonly closes: Array<number | undefined> = [];
	send(data: string | ArrayBuffer): void {
		this.sent.push(data);
	}
	close(code?: number): void {
		this.closes.push(code);
	}
	/** The provider says something. */
	say(text: string): void {
		this.dispatchEvent(new MessageEvent('message', { data: text }));
	}
	/** The provider went away. */
	drop(code = 1011): void {
		this.dispatchEvent(new CloseEvent('close', { code }));
	}
	/** The engine's view of it: a WebSocket. */
	get asWebSocket(): WebSocket {
		return this as unknown as WebSocket;
	}
}

/** A 40 ms frame whose samples all carry `label`, so order can be read back. */
const frame = (label: number) => new Int16Array(FRAME_BYTES / 2).fill(label).buffer;
const labelOf = (data: string | ArrayBuffer) => (typeof data === 'string' ? data : new Int16Array(data)[0]);

/** An engine whose connects follow `script` (a socket, or an error to throw), with a 10 ms backoff. */
function engine(script: Array<FakeSocket | Error>, options: Partial<UpstreamOptions> = {}, message: (text: string) => void = () => {}) {
	const calls = { connects: 0, opened: [] as boolean[], failed: [] as string[] };
	const protocol: UpstreamProtocol = {
		async connect() {
			const next = script[calls.connects++];
			if (!next || next instanceof Error) throw next ?? new Error('no socket scripted');
			return next.asWebSocket;
		},
		opened(reconnected) {
			calls.opened.push(reconnected);
			upstream.send('configuration');
		},
		message,
		audioMessage: (pcm) => pcm,
		failed: (code) => void calls.failed.push(code)
	};
	const upstream = new Upstream(protocol, { backoffMs: [10], timelineIncludesWaitingAudio: true, ...options });
	return { upstream, calls };
}

describe('the upstream engine', () => {
	beforeEach(() => void vi.useFakeTimers());
	afterEach(() => void vi.useRealTimers());

	it('sends the audio that waited after the configuration, in order, keeping at most 20 s of it', async () => {
		const socket = new FakeSocket();
		const { upstream } = engine([socket]);
		for (let label = 1; label <= 501; label += 1) upstream.sendAudio(frame(label), label * 40);
		await upstream.open();
		expect(socket.sent[0]).toBe('configuration');
		expect(socket.sent.slice(1).map(labelOf)).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
		expect(upstream.audioSentMs).toBe(20_000);
		upstream.close();
	});

	it('stops handing a slow provider frames past 2 s of its own queue, holds at most 2 s more dropping the oldest, and catches up in order', async () => {
		const socket = new FakeSocket();
		const { upstream } = engine([socket]);
		await upstream.open();
		upstream.sendAudio(frame(1), 40);
		socket.bufferedAmount = 200_000;
		// 20 s of audio in a burst while the provider reads nothing.
		for (let label = 2; label <= 501; label += 1) upstream.sendAudio(frame(label), label * 40);
		expect(socket.sent.slice(1).map(labelOf)).toEqual([1]);
		expect(upstream.audioFramesDropped).toBe(500 - MAX_HELD_MS / 40);
		const usage: Array<Record<string, number>> = [];
		reportDropped(upstream, { usage: (counters) => void usage.push(counters) });
		expect(usage).toEqual([{ [UPSTREAM_DROPS]: 500 - MAX_HELD_MS / 40 }]);

		socket.bufferedAmount = 0;
		upstream.sendAudio(frame(502), 502 * 40);
		const heard = socket.sent.slice(2).map(labelOf);
		expect(heard).toEqual(Array.from({ length: MAX_HELD_MS / 40 }, (_, index) => 502 - MAX_HELD_MS / 40 + index + 1));
		expect(upstream.audioSentMs).toBe(40 + MAX_HELD_MS);
		upstream.close();
	});

	it('places speech on the timeline of the socket that heard it, gaps in the interview included', async () => {
		const first = new FakeSocket();
		const { upstream } = engine([first, new FakeSocket()]);
		await upstream.open();
		expect(upstream.timeline.place(0)).toBeUndefined();
		upstream.sendAudio(frame(1), 1_000);
		upstream.sendAudio(frame(2), 1_040);
		upstream.sendAudio(frame(3), 5_000);
		expect([0, 60, 80, 100].map((ms) => upstream.timeline.place(ms))).toEqual([1_000, 1_060, 5_000, 5_020]);

		first.drop();
		upstream.sendAudio(frame(4), 9_000);
		await vi.advanceTimersByTimeAsync(10);
		expect(upstream.timeline.positionMs).toBe(40);
		expect(upstream.timeline.place(20)).toBe(9_020);
		upstream.close();
	});

	it('leaves the audio that waited off the timeline when asked to', async () => {
		const { upstream } = engine([new FakeSocket()], { timelineIncludesWaitingAudio: false });
		upstream.sendAudio(frame(1), 1_000);
		await upstream.open();
		expect(upstream.timeline.positionMs).toBe(0);
		upstream.sendAudio(frame(2), 2_000);
		expect(upstream.timeline.place(0)).toBe(2_000);
		upstream.close();
	});

	it('reconnects with backoff after a drop, warns once at the third failed attempt, and stops after close', async () => {
		const first = new FakeSocket();
		const second = new FakeSocket();
		const failures = Array.from({ length: WARN_AFTER_ATTEMPT + 1 }, () => new Error('down'));
		const { upstream, calls } = engine([first, ...failures, second]);
		await upstream.open();
		first.drop(1006);
		expect(first.closes).toEqual([undefined]);
		expect(upstream.isOpen).toBe(false);
		await vi.advanceTimersByTimeAsync(10 * (failures.length + 1));
		expect(calls.connects).toBe(failures.length + 2);
		expect(calls.failed).toEqual(['provider_reconnecting']);
		expect(calls.opened).toEqual([false, true]);
		expect(upstream.isOpen).toBe(true);

		upstream.close();
		expect(second.closes).toEqual([1000]);
		second.drop();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('does not try again once the provider refused our key', async () => {
		const refusal = new UpstreamError('provider_auth', 'The AI provider refused the connection (HTTP 401).');
		const { upstream, calls } = engine([refusal]);
		await expect(upstream.open()).rejects.toBe(refusal);
		expect(vi.getTimerCount()).toBe(0);

		const socket = new FakeSocket();
		const later = engine([socket, refusal]);
		await later.upstream.open();
		socket.drop();
		await vi.advanceTimersByTimeAsync(10);
		expect(later.calls.failed).toEqual(['provider_auth']);
		expect(vi.getTimerCount()).toBe(0);
		expect(calls.connects + later.calls.connects).toBe(3);
	});

	it('leaves no socket and no reconnect behind when the interview ends while connecting', async () => {
		const late = new FakeSocket();
		const succeeding = engine([late]);
		const opening = succeeding.upstream.open();
		succeeding.upstream.close();
		await opening;
		expect(late.closes).toEqual([1000]);
		expect(succeeding.calls.opened).toEqual([]);

		const failing = engine([new Error('down')]);
		const failed = failing.upstream.open();
		failing.upstream.close();
		await expect(failed).rejects.toThrow('down');
		expect(vi.getTimerCount()).toBe(0);
	});

	it('skips a message the protocol cannot read, logs it, and reads the ones after it', async () => {
		const socket = new FakeSocket();
		const read: string[] = [];
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const { upstream } = engine([socket], {}, (text) => read.push(JSON.stringify(JSON.parse(text))));
		await upstream.open();
		socket.say('{"type":"response.output_audio.delta"');
		socket.say('{"type":"session.updated"}');
		expect(read).toEqual(['{"type":"session.updated"}']);
		expect(logged.mock.calls.map(([line]) => JSON.parse(String(line)).event)).toEqual(['provider.message_unreadable']);
		expect(upstream.isOpen).toBe(true);
		logged.mockRestore();
		upstream.close();
	});

	it('moves to a fresh socket at once when asked, closing the old one', async () => {
		const first = new FakeSocket();
		const second = new FakeSocket();
		const { upstream, calls } = engine([first, second]);
		await upstream.open();
		upstream.reopen('session limit');
		expect(first.closes).toEqual([1000]);
		await vi.advanceTimersByTimeAsync(0);
		expect(calls.opened).toEqual([false, true]);
		expect(second.sent).toEqual(['configuration']);
		upstream.close();
	});
});
