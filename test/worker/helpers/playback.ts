import { BYTES_PER_MS } from '../../../worker/contracts/protocol-constants';
import type { OpenedSocket } from './socket';

/** workerd hands a client socket's binary frames over as Blobs, whatever its binaryType says. */
const bytesOf = (frame: ArrayBuffer | Blob) => (frame instanceof Blob ? frame.size : frame.byteLength);

/**
 * Follows the interviewer's audio on a joined socket as a browser would play it. Start it right after
 * `join`: the interview sends its welcome before it opens the provider, so no audio has come yet (if
 * some has, its arrival is taken as now, which can only make the wait longer).
 *
 * The browser never tells the interview what it played: at a barge-in, the interview counts a reply
 * as heard by the wall clock since the reply's first audio frame. A test that must answer a reply
 * rather than interrupt it waits for exactly that with `played`.
 */
export function followPlayback(joined: OpenedSocket) {
	let firstFrameAt = joined.binary.length > 0 ? Date.now() : null;
	joined.socket.addEventListener('message', (event) => {
		if (firstFrameAt === null && typeof event.data !== 'string') firstFrameAt = Date.now();
	});
	const receivedBytes = () => joined.binary.reduce((sum, frame) => sum + bytesOf(frame as ArrayBuffer | Blob), 0);

	return {
		/**
		 * Resolves once `bytes` of audio have arrived and lasted their playing time since the first of
		 * them did. The interview sent that frame before it arrived here, so the interview's own count
		 * has then reached the whole reply too.
		 */
		async played(bytes: number, timeoutMs = 10_000): Promise<void> {
			const deadline = Date.now() + timeoutMs;
			while (receivedBytes() < bytes) {
				if (Date.now() > deadline) throw new Error(`timed out: ${receivedBytes()} of ${bytes} audio bytes arrived`);
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			const playingFor = firstFrameAt! + bytes / BYTES_PER_MS - Date.now();
			if (playingFor > 0) await new Promise((resolve) => setTimeout(resolve, playingFor));
		}
	};
}
