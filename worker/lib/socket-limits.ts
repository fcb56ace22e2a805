import type { Refusal } from './socket';

/** Frames the server could not use; a client that keeps sending them is broken or hostile. */
const MALFORMED_FRAME_LIMIT = 10;

/** Counts malformed frames per socket; past the limit the socket is closed with 4400. */
export class MalformedFrameCounter {
	private readonly counts = new WeakMap<WebSocket, number>();
	readonly refusal: Refusal = { code: 'too_many_bad_frames', message: 'Too many malformed messages; reload the page to continue.' };

	/** Counts one more malformed frame; true once the socket has sent too many. */
	tooMany(socket: WebSocket): boolean {
		const count = (this.counts.get(socket) ?? 0) + 1;
		this.counts.set(socket, count);
		return count >= MALFORMED_FRAME_LIMIT;
	}
}

const TEXT_WINDOW_MS = 10_000;
const TEXT_FRAMES_PER_WINDOW = 40;

/** Counts text frames per socket; a flood closes that socket and nothing else. */
export class TextFrameLimiter {
	private readonly windows = new WeakMap<WebSocket, { start: number; count: number }>();

	allow(socket: WebSocket, now = Date.now()): boolean {
		const window = this.windows.get(socket);
		if (!window || now - window.start > TEXT_WINDOW_MS) {
			this.windows.set(socket, { start: now, count: 1 });
			return true;
		}
		window.count += 1;
		return window.count <= TEXT_FRAMES_PER_WINDOW;
	}
}
