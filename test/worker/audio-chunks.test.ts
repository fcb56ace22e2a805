import { describe, expect, it } from 'vitest';
import { mp3Chunks, mp3Start } from '../../worker/services/records/uploads/chunks/mp3';
import type { AudioChunk, ByteSource } from '../../worker/services/records/uploads/chunks/source';
import { wavChunks, wavLayout } from '../../worker/services/records/uploads/chunks/wav';
import { wavHeader } from '../../worker/lib/wav';

/** The chunkers on recordings held in memory, read through the same range interface R2 gives them. */

function sourceOf(bytes: Uint8Array) {
	const reads: number[] = [];
	const source: ByteSource = {
		size: bytes.length,
		read: async (offset, length) => {
			reads.push(length);
			return bytes.slice(offset, offset + length);
		}
	};
	return { source, reads };
}

async function all(chunks: AsyncIterable<AudioChunk>): Promise<AudioChunk[]> {
	const out: AudioChunk[] = [];
	for await (const chunk of chunks) out.push(chunk);
	return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
	return out;
}

/** MPEG-1 layer III, 128 kbps, 44.1 kHz: frames of 417 or 418 bytes (padding keeps the average bitrate), 1152 samples each. */
function mp3(frames: number): { file: Uint8Array; audio: Uint8Array } {
	const tag = new Uint8Array(10 + 300);
	tag.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 2, 300 - 256]);
	const parts: Uint8Array[] = [];
	let seed = 7;
	for (let index = 0; index < frames; index += 1) {
		const padding = index % 49 < 47 ? 1 : 0;
		const frame = new Uint8Array(417 + padding);
		frame.set([0xff, 0xfb, 0x90 | (padding << 1), 0x00]);
		for (let offset = 4; offset < frame.length; offset += 1) frame[offset] = (seed = (seed * 1103515245 + 12345) >>> 0) % 255;
		parts.push(frame);
	}
	const audio = concat(parts);
	return { file: concat([tag, audio, new TextEncoder().encode(`TAG${' '.repeat(125)}`)]), audio };
}

describe('MP3 pieces', () => {
	it('skip the ID3 tag, end on frame boundaries under the size limit, and carry exact offsets', async () => {
		const frames = 25_000;
		const { file, audio } = mp3(frames);
		const { source, reads } = sourceOf(file);
		const start = await mp3Start(source);
		expect(start).toBe(310);
		const chunks = await all(mp3Chunks(source, start!, { bytes: 4 * 1024 * 1024, ms: 60 * 60_000 }, 'talk'));
		expect(chunks.length).toBe(Math.ceil(audio.length / (4 * 1024 * 1024)));
		expect(Math.max(...reads)).toBeLessThanOrEqual(4 * 1024 * 1024);
		for (const chunk of chunks) {
			expect(chunk.bytes.length).toBeLessThanOrEqual(4 * 1024 * 1024);
			expect([...chunk.bytes.subarray(0, 2)]).toEqual([0xff, 0xfb]);
		}
		expect(concat(chunks.map((chunk) => chunk.bytes))).toEqual(audio);
		const frameMs = (1152 / 44_100) * 1000;
		let elapsed = 0;
		for (const chunk of chunks) {
			expect(chunk.offsetMs).toBeCloseTo(elapsed, 6);
			elapsed += chunk.durationMs!;
		}
		expect(elapsed).toBeCloseTo(frames * frameMs, 3);
		expect(chunks.map((chunk) => chunk.name)).toEqual(chunks.map((_, index) => `talk-${index + 1}.mp3`));
	});

	it('keep to the time limit when the bytes would allow more', async () => {
		const { file } = mp3(6_000);
		const { source } = sourceOf(file);
		const chunks = await all(mp3Chunks(source, (await mp3Start(source))!, { bytes: 4 * 1024 * 1024, ms: 60_000 }, 'talk'));
		expect(chunks.length).toBe(Math.ceil((6_000 * 1152) / 44_100 / 60));
		for (const chunk of chunks) expect(chunk.durationMs!).toBeLessThanOrEqual(60_000);
	});

	it('are not attempted on a file without layer III frames', async () => {
		expect(await mp3Start(sourceOf(new TextEncoder().encode('not an mp3 at all'.padEnd(5000, '.'))).source)).toBeNull();
	});
});

describe('WAV pieces', () => {
	it('cut a stereo recording in its pauses, and together hold every sample once', async () => {
		// 16-bit stereo 44.1 kHz: 1 s of sound, then 300 ms of silence, over and over, for 40 s.
		const rate = 44_100;
		const seconds = 40;
		const samples = rate * seconds;
		const data = new Uint8Array(samples * 4);
		const view = new DataView(data.buffer);
		const period = Math.round(rate * 1.3);
		for (let index = 0; index < samples; index += 1) {
			if (index % period >= rate) continue;
			const value = Math.round(Math.sin(index / 7) * 9_000);
			view.setInt16(index * 4, value, true);
			view.setInt16(index * 4 + 2, -value, true);
		}
		const file = concat([wavHeader(data.length, rate, 2, 16), data]);
		const { source } = sourceOf(file);
		const layout = await wavLayout(source);
		expect(layout).toMatchObject({ channels: 2, bitsPerSample: 16, sampleRate: rate, blockAlign: 4, dataEnd: file.length });
		const chunks = await all(wavChunks(source, layout!, { bytes: 1024 * 1024, ms: 60_000 }, 'stereo'));
		expect(chunks.length).toBeGreaterThan(6);
		for (const chunk of chunks.slice(0, -1)) {
			expect(chunk.bytes.length).toBeLessThanOrEqual(1024 * 1024);
			const end = Math.round(((chunk.offsetMs + chunk.durationMs!) / 1000) * rate);
			expect(end % period).toBeGreaterThanOrEqual(rate);
		}
		const pieces = chunks.map((chunk) => {
			const header = new DataView(chunk.bytes.buffer, chunk.bytes.byteOffset, 44);
			expect(header.getUint16(22, true)).toBe(2);
			expect(header.getUint32(40, true)).toBe(chunk.bytes.length - 44);
			return chunk.bytes.subarray(44);
		});
		expect(concat(pieces)).toEqual(data);
		expect(chunks.at(-1)!.offsetMs + chunks.at(-1)!.durationMs!).toBeCloseTo(seconds * 1000, 6);
	});
});
