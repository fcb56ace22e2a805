/** Sound for the fake Workers AI models: deterministic speech to play, and loudness to tell speech from silence. */

/** Deterministic speech for a sentence: a tone whose pitch depends on the text, 30 ms per character. */
export function speech(text: string): Uint8Array {
	const samples = Math.max(1_200, text.length * 30 * 24);
	const seed = [...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 11);
	const pcm = new Int16Array(samples);
	for (let index = 0; index < samples; index += 1)
		pcm[index] = Math.round(Math.sin((index / 24_000) * 2 * Math.PI * (200 + (seed % 150))) * 5_000);
	return new Uint8Array(pcm.buffer);
}

/** Whether a PCM16 frame is speech rather than silence (its RMS). */
export function isLoud(pcm: ArrayBuffer): boolean {
	const samples = new Int16Array(pcm, 0, Math.floor(pcm.byteLength / 2));
	let sum = 0;
	for (const sample of samples) sum += sample * sample;
	return samples.length > 0 && Math.sqrt(sum / samples.length) > 1_000;
}

/** Milliseconds of PCM16 mono 24 kHz in `bytes`. */
export const msOf = (bytes: number) => bytes / 48;

/**
 * A fake model's server socket: what the client sent it arrives as bytes (workerd may hand binary
 * frames over as Blobs), in order, to `onAudio`. `intercept` runs first, inside the event handler
 * (a socket is closed there, in the I/O context that owns it), and may swallow the frame. The
 * handler itself stays synchronous, as workerd wants of event handlers.
 */
export function onBinary(server: WebSocket, onAudio: (pcm: ArrayBuffer) => void, intercept: () => boolean = () => false): void {
	let queue = Promise.resolve();
	server.addEventListener('message', (event) => {
		if (typeof event.data === 'string' || intercept()) return;
		const data = event.data;
		queue = queue.then(async () => onAudio(data instanceof Blob ? await data.arrayBuffer() : (data as ArrayBuffer)));
	});
}
