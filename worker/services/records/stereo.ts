import { SAMPLE_RATE } from '../../contracts/protocol';
import { parseWav, WAV_HEADER_BYTES, wavHeader } from '../../lib/wav';

/**
 * Two mono tracks of one interview (the respondent's microphone and the interviewer's voice) as
 * one stereo WAV: respondent left, interviewer right. Both tracks are on the interview's timeline
 * (sample 0 is the interview's start, gaps are silence), so interleaving them sample by sample is
 * the alignment; the shorter track is padded with silence. The file is built while it is sent:
 * each track is read from R2 as a stream, a block at a time, so a long interview is never in memory.
 */

const BYTES_PER_SAMPLE = 2;
const STEREO_FRAME_BYTES = 2 * BYTES_PER_SAMPLE;
/** Samples per channel interleaved at a time: 64 KB read from each track, 128 KB written. */
const BLOCK_SAMPLES = 32 * 1024;
/** Enough of a WAV's start to find its `data` chunk. */
const HEAD_BYTES = 4096;

/** Where a mono track's samples are in its R2 object. */
export type MonoTrack = { key: string; dataOffset: number; dataBytes: number };

/** A stored mono 16-bit WAV at the interview's sample rate; null when it is missing or any other format. */
export async function monoTrack(files: R2Bucket, key: string | null): Promise<MonoTrack | null> {
	const head = key ? await files.head(key) : null;
	if (!key || !head) return null;
	const object = await files.get(key, { range: { offset: 0, length: Math.min(HEAD_BYTES, head.size) } });
	if (!object) return null;
	const info = parseWav(new Uint8Array(await object.arrayBuffer()));
	if (!info || info.channels !== 1 || info.bitsPerSample !== 16 || info.sampleRate !== SAMPLE_RATE) return null;
	const dataBytes = head.size - info.dataOffset;
	return { key, dataOffset: info.dataOffset, dataBytes: dataBytes - (dataBytes % BYTES_PER_SAMPLE) };
}

/** The size of the stereo file made of two tracks (either may be missing). */
export function stereoSize(left: MonoTrack | null, right: MonoTrack | null): number {
	const samples = Math.max(left?.dataBytes ?? 0, right?.dataBytes ?? 0) / BYTES_PER_SAMPLE;
	return WAV_HEADER_BYTES + samples * STEREO_FRAME_BYTES;
}

/** Reads exactly the bytes asked for from a stream, with silence (zeros) once the stream has ended. */
class SampleReader {
	private chunks: Uint8Array[] = [];
	private buffered = 0;
	private ended: boolean;

	constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null) {
		this.ended = reader === null;
	}

	async take(bytes: number): Promise<Uint8Array> {
		while (this.buffered < bytes && !this.ended) {
			const { value, done } = await this.reader!.read();
			if (done) this.ended = true;
			else {
				this.chunks.push(value);
				this.buffered += value.byteLength;
			}
		}
		const out = new Uint8Array(bytes);
		let filled = 0;
		while (filled < bytes && this.chunks.length > 0) {
			const head = this.chunks[0]!;
			const count = Math.min(head.byteLength, bytes - filled);
			out.set(head.subarray(0, count), filled);
			filled += count;
			if (count === head.byteLength) this.chunks.shift();
			else this.chunks[0] = head.subarray(count);
		}
		this.buffered -= filled;
		return out;
	}

	cancel(): void {
		void this.reader?.cancel().catch(() => undefined);
	}
}

/** A track's samples from `fromSample` up to `toSample` (exclusive) as a stream; null when none of them exist. */
async function openSamples(files: R2Bucket, track: MonoTrack | null, fromSample: number, toSample: number) {
	if (!track) return null;
	const offset = fromSample * BYTES_PER_SAMPLE;
	const length = Math.min(toSample * BYTES_PER_SAMPLE, track.dataBytes) - offset;
	if (length <= 0) return null;
	const object = await files.get(track.key, { range: { offset: track.dataOffset + offset, length } });
	return object?.body.getReader() ?? null;
}

function interleave(left: Uint8Array, right: Uint8Array): Uint8Array {
	const out = new Uint8Array(left.byteLength * 2);
	for (let sample = 0; sample < left.byteLength; sample += BYTES_PER_SAMPLE) {
		const at = sample * 2;
		out[at] = left[sample]!;
		out[at + 1] = left[sample + 1]!;
		out[at + 2] = right[sample]!;
		out[at + 3] = right[sample + 1]!;
	}
	return out;
}

/**
 * Bytes `offset` to `offset + length` of the stereo file, as a stream of exactly that length (so
 * players can seek with Range requests). Writing waits for the reader: at most a block is in memory.
 */
export function stereoWavStream(
	files: R2Bucket,
	left: MonoTrack | null,
	right: MonoTrack | null,
	range: { offset: number; length: number }
): ReadableStream<Uint8Array> {
	const { readable, writable } = new FixedLengthStream(range.length);
	const writer = writable.getWriter();
	const end = range.offset + range.length;
	const write = async () => {
		const dataBytes = stereoSize(left, right) - WAV_HEADER_BYTES;
		if (range.offset < WAV_HEADER_BYTES)
			await writer.write(wavHeader(dataBytes, SAMPLE_RATE, 2).subarray(range.offset, Math.min(end, WAV_HEADER_BYTES)));
		const dataFrom = Math.max(0, range.offset - WAV_HEADER_BYTES);
		const dataTo = end - WAV_HEADER_BYTES;
		if (dataTo <= dataFrom) return;
		const firstSample = Math.floor(dataFrom / STEREO_FRAME_BYTES);
		const lastSample = Math.ceil(dataTo / STEREO_FRAME_BYTES);
		const [leftReader, rightReader] = await Promise.all([
			openSamples(files, left, firstSample, lastSample),
			openSamples(files, right, firstSample, lastSample)
		]);
		const leftSamples = new SampleReader(leftReader);
		const rightSamples = new SampleReader(rightReader);
		try {
			for (let sample = firstSample; sample < lastSample; sample += BLOCK_SAMPLES) {
				const count = Math.min(BLOCK_SAMPLES, lastSample - sample);
				const [l, r] = await Promise.all([leftSamples.take(count * BYTES_PER_SAMPLE), rightSamples.take(count * BYTES_PER_SAMPLE)]);
				const block = interleave(l, r);
				const blockStart = sample * STEREO_FRAME_BYTES;
				await writer.write(block.subarray(Math.max(0, dataFrom - blockStart), Math.min(block.byteLength, dataTo - blockStart)));
			}
		} finally {
			leftSamples.cancel();
			rightSamples.cancel();
		}
	};
	// A reader that went away (the player seeked elsewhere) fails the next write; nothing is left to do then.
	write()
		.then(
			() => writer.close(),
			(error: unknown) => writer.abort(error)
		)
		.catch(() => undefined);
	return readable;
}
