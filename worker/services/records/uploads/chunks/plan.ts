import { CHUNK_BYTES, CHUNK_MS, wholeFileBytes, type AudioFormat, type SttProvider } from '../limits';
import { mp3Chunks, mp3Start } from './mp3';
import type { AudioChunk, ByteSource } from './source';
import { wavChunks, wavLayout } from './wav';

/** The pieces a stored recording is transcribed in: cut where its format allows, else the whole file if the provider takes it. */

/** The recording cannot be sent whole and cannot be cut. */
export class UntranscribableAudio extends Error {}

const LIMITS = { bytes: CHUNK_BYTES, ms: CHUNK_MS };

export async function* audioChunks(
	source: ByteSource,
	format: AudioFormat,
	provider: SttProvider,
	name: string
): AsyncGenerator<AudioChunk> {
	if (format === 'wav') {
		const layout = await wavLayout(source);
		if (layout) return yield* wavChunks(source, layout, LIMITS, name);
	}
	if (format === 'mp3') {
		const start = await mp3Start(source);
		if (start !== null) return yield* mp3Chunks(source, start, LIMITS, name);
	}
	const limit = wholeFileBytes(provider);
	if (source.size > limit)
		throw new UntranscribableAudio(
			`a .${format} recording of ${source.size} bytes cannot be cut, and ${provider} takes at most ${limit} at once`
		);
	yield { index: 0, bytes: await source.read(0, source.size), name: `${name}.${format}`, offsetMs: 0, durationMs: null };
}
