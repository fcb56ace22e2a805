import type { AudioChunk, ByteSource, ChunkLimits } from './source';

/**
 * MP3 (MPEG audio layer III) cut between frames: a run of whole frames is a valid MP3 file, and
 * each frame's header gives its length and duration, so the offsets are exact without decoding.
 * Without decoding there is no telling a pause from speech, so the cut falls at the last frame
 * boundary that fits; a word across it may be heard in neither piece or in both, which is rare
 * at a few minutes a piece.
 */

const HEAD_BYTES = 64 * 1024;

/** Kilobits a second by bitrate index, for MPEG-1 and for MPEG-2/2.5 layer III. */
const BITRATES = {
	mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
};
/** Hertz by sample-rate index, per version bits (0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1). */
const SAMPLE_RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };

type Frame = { length: number; samples: number; sampleRate: number };

/** The layer III frame whose header starts at `offset`, or null when there is none. */
export function frameAt(bytes: Uint8Array, offset: number): Frame | null {
	if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1]! & 0xe0) !== 0xe0) return null;
	const version = (bytes[offset + 1]! >> 3) & 3;
	const layer = (bytes[offset + 1]! >> 1) & 3;
	const bitrateIndex = bytes[offset + 2]! >> 4;
	const rateIndex = (bytes[offset + 2]! >> 2) & 3;
	if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
	const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
	const kbps = (version === 3 ? BITRATES.mpeg1 : BITRATES.mpeg2)[bitrateIndex]!;
	const padding = (bytes[offset + 2]! >> 1) & 1;
	const samples = version === 3 ? 1152 : 576;
	return { length: Math.floor(((samples / 8) * kbps * 1000) / sampleRate) + padding, samples, sampleRate };
}

/** A frame here, and another right after it (unless the bytes end first): a sync word alone is too easy to find by chance. */
function confirmedFrameAt(bytes: Uint8Array, offset: number): Frame | null {
	const frame = frameAt(bytes, offset);
	if (!frame) return null;
	const next = offset + frame.length;
	return next + 4 > bytes.length || frameAt(bytes, next) ? frame : null;
}

function firstFrame(bytes: Uint8Array, from: number): number {
	for (let offset = bytes.indexOf(0xff, from); offset !== -1; offset = bytes.indexOf(0xff, offset + 1))
		if (confirmedFrameAt(bytes, offset)) return offset;
	return -1;
}

/** Where the first audio frame starts (after an ID3v2 tag, if any), or null when this is not layer III audio. */
export async function mp3Start(source: ByteSource): Promise<number | null> {
	const head = await source.read(0, Math.min(source.size, HEAD_BYTES));
	let skip = 0;
	if (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33 && head.length >= 10) {
		const tagBytes = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
		skip = 10 + tagBytes + (head[5]! & 0x10 ? 10 : 0);
	}
	if (skip >= source.size) return null;
	const window = skip + 4 <= head.length ? head : await source.read(skip, Math.min(source.size - skip, HEAD_BYTES));
	const found = firstFrame(window, window === head ? skip : 0);
	if (found === -1) return null;
	return window === head ? found : skip + found;
}

/** The recording's pieces in order: runs of whole frames, each at most the limits. */
export async function* mp3Chunks(source: ByteSource, start: number, limits: ChunkLimits, name: string): AsyncGenerator<AudioChunk> {
	let position = start;
	let elapsedMs = 0;
	for (let index = 0; position < source.size; index += 1) {
		const data = await source.read(position, Math.min(limits.bytes, source.size - position));
		let offset = firstFrame(data, 0);
		if (offset === -1) return;
		const begin = offset;
		let durationMs = 0;
		for (let frame = frameAt(data, offset); frame && offset + frame.length <= data.length; frame = frameAt(data, offset)) {
			const frameMs = (frame.samples / frame.sampleRate) * 1000;
			if (durationMs + frameMs > limits.ms) break;
			durationMs += frameMs;
			offset += frame.length;
		}
		if (offset === begin) return;
		yield { index, bytes: data.slice(begin, offset), name: `${name}-${index + 1}.mp3`, offsetMs: elapsedMs, durationMs };
		elapsedMs += durationMs;
		position += offset;
	}
}
