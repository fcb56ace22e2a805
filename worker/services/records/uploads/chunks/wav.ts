import { parseWav, WAV_HEADER_BYTES, wavHeader, type WavInfo } from '../../../../lib/wav';
import type { AudioChunk, ByteSource, ChunkLimits } from './source';

/**
 * PCM WAV cut into pieces in pauses. Each piece is read with one range request of at most the
 * piece size, and cut at the middle of the longest quiet stretch in its last quarter, so no word
 * is split and no overlap is needed: overlapping pieces would transcribe the same words twice,
 * and whisper's sentence-long segments are too coarse to drop the repeats reliably. Where a piece
 * has no quiet stretch (music, a noisy room) it is cut at its quietest 20 ms, which in speech
 * falls between syllables at worst.
 */

const HEAD_BYTES = 64 * 1024;
const FRAME_MS = 20;
/** The part of a piece searched for a pause: its last quarter. */
const SEARCH_SHARE = 0.25;
/** Mean absolute amplitude (16-bit scale) counted as quiet above the quietest frame: about -66 dBFS. */
const QUIET_MARGIN = 16;

export type WavLayout = WavInfo & { dataEnd: number; blockAlign: number; bytesPerSecond: number };

/** The PCM layout of a WAV recording, or null when its header is not one we can cut. */
export async function wavLayout(source: ByteSource): Promise<WavLayout | null> {
	const head = await source.read(0, Math.min(source.size, HEAD_BYTES));
	const info = parseWav(head);
	if (!info || ![8, 16, 24, 32].includes(info.bitsPerSample) || info.channels < 1 || info.sampleRate < 1) return null;
	const declared = new DataView(head.buffer, head.byteOffset).getUint32(info.dataOffset - 4, true);
	// Streaming writers leave the size at 0 or 0xFFFFFFFF: then the data runs to the end of the file.
	const dataEnd = declared > 0 && declared < 0xffffffff ? Math.min(source.size, info.dataOffset + declared) : source.size;
	const blockAlign = info.channels * (info.bitsPerSample / 8);
	return { ...info, dataEnd, blockAlign, bytesPerSecond: info.sampleRate * blockAlign };
}

/** A sample's magnitude on the 16-bit scale, whatever the sample width. */
function magnitude(view: DataView, offset: number, bits: number): number {
	switch (bits) {
		case 8:
			return Math.abs(view.getUint8(offset) - 128) << 8;
		case 16:
			return Math.abs(view.getInt16(offset, true));
		case 24:
			return Math.abs(view.getInt16(offset + 1, true));
		default:
			return Math.abs(view.getInt16(offset + 2, true));
	}
}

/** Where to end a piece of `data` (bytes, block-aligned): the middle of the longest quiet run of frames in its last quarter. */
export function quietCut(data: Uint8Array, layout: WavLayout): number {
	const frameBytes = Math.max(1, Math.round((layout.sampleRate * FRAME_MS) / 1000)) * layout.blockAlign;
	const frames = Math.floor(data.length / frameBytes);
	const first = Math.max(1, Math.floor(frames * (1 - SEARCH_SHARE)));
	if (frames - first < 1) return data.length - (data.length % layout.blockAlign);
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const sampleBytes = layout.bitsPerSample / 8;
	const energies: number[] = [];
	for (let frame = first; frame < frames; frame += 1) {
		let sum = 0;
		const start = frame * frameBytes;
		for (let offset = start; offset < start + frameBytes; offset += sampleBytes) sum += magnitude(view, offset, layout.bitsPerSample);
		energies.push(sum / (frameBytes / sampleBytes));
	}
	const quiet = Math.min(...energies) * 2 + QUIET_MARGIN;
	let best = { start: 0, length: 0 };
	let run = { start: 0, length: 0 };
	energies.forEach((energy, index) => {
		run = energy <= quiet ? { start: run.length > 0 ? run.start : index, length: run.length + 1 } : { start: index + 1, length: 0 };
		// Later runs win ties: the piece stays as long as it can be.
		if (run.length >= best.length) best = { ...run };
	});
	const frame = first + best.start + Math.floor(best.length / 2);
	return frame * frameBytes;
}

/** The recording's pieces in order, each a WAV file of its own. */
export async function* wavChunks(source: ByteSource, layout: WavLayout, limits: ChunkLimits, name: string): AsyncGenerator<AudioChunk> {
	const byBytes = limits.bytes - WAV_HEADER_BYTES;
	const byTime = (limits.ms / 1000) * layout.bytesPerSecond;
	const pieceBytes = Math.floor(Math.min(byBytes, byTime) / layout.blockAlign) * layout.blockAlign;
	let position = layout.dataOffset;
	for (let index = 0; position < layout.dataEnd; index += 1) {
		const length = Math.min(pieceBytes, layout.dataEnd - position);
		const data = await source.read(position, length);
		const last = position + length >= layout.dataEnd;
		const cut = last ? data.length - (data.length % layout.blockAlign) : quietCut(data, layout);
		if (cut <= 0) return;
		const bytes = new Uint8Array(WAV_HEADER_BYTES + cut);
		bytes.set(wavHeader(cut, layout.sampleRate, layout.channels, layout.bitsPerSample), 0);
		bytes.set(data.subarray(0, cut), WAV_HEADER_BYTES);
		yield {
			index,
			bytes,
			name: `${name}-${index + 1}.wav`,
			offsetMs: ((position - layout.dataOffset) / layout.bytesPerSecond) * 1000,
			durationMs: (cut / layout.bytesPerSecond) * 1000
		};
		position += cut;
	}
}
