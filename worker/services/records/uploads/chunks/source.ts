/** What the chunkers read a recording through, and what they hand out. */

/** Byte ranges of a stored recording: never the whole of it at once. */
export type ByteSource = { size: number; read(offset: number, length: number): Promise<Uint8Array> };

/** A piece of a recording that is a valid file of its own, with where it sits in the whole. */
export type AudioChunk = {
	index: number;
	/** The piece as a file (a WAV piece has its own header). */
	bytes: Uint8Array;
	name: string;
	offsetMs: number;
	/** Null when the piece is a whole file in a format we cannot measure (.m4a, .webm, .ogg). */
	durationMs: number | null;
};

export type ChunkLimits = { bytes: number; ms: number };

export function r2Source(bucket: R2Bucket, key: string, size: number): ByteSource {
	return {
		size,
		async read(offset, length) {
			const object = await bucket.get(key, { range: { offset, length } });
			if (!object) throw new Error('the recording disappeared from storage while it was being transcribed');
			return new Uint8Array(await object.arrayBuffer());
		}
	};
}
