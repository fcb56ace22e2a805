/**
 * A long recording the speech-to-text fakes can "hear": PCM16 mono 24 kHz made of tone bursts
 * (3 s) and silences (2 s), burst k at its own pitch (300 + 10·k Hz). Generated a slice at a time,
 * so a test can stream tens of megabytes without holding them; the fakes find the bursts in a
 * piece by loudness and name each by its pitch, which tells whether pieces arrive whole, in order
 * and at the right offsets. Pure TypeScript: it runs in workerd and in Node.
 */

export const BURSTS = { sampleRate: 24_000, toneMs: 3_000, gapMs: 2_000, baseHz: 300, stepHz: 10, amplitude: 8_000 } as const;
const PERIOD_SAMPLES = ((BURSTS.toneMs + BURSTS.gapMs) * BURSTS.sampleRate) / 1000;
const TONE_SAMPLES = (BURSTS.toneMs * BURSTS.sampleRate) / 1000;

export const burstText = (index: number) => `Burst number ${index}.`;
export const burstStartMs = (index: number) => index * (BURSTS.toneMs + BURSTS.gapMs);

/** Samples [from, from + count) of the recording, as little-endian PCM16 bytes. */
export function burstPcm(from: number, count: number): Uint8Array {
	const bytes = new Uint8Array(count * 2);
	const view = new DataView(bytes.buffer);
	for (let offset = 0; offset < count; offset += 1) {
		const sample = from + offset;
		const index = Math.floor(sample / PERIOD_SAMPLES);
		const within = sample - index * PERIOD_SAMPLES;
		if (within >= TONE_SAMPLES) continue;
		const hz = BURSTS.baseHz + BURSTS.stepHz * index;
		view.setInt16(offset * 2, Math.round(Math.sin((2 * Math.PI * hz * within) / BURSTS.sampleRate) * BURSTS.amplitude), true);
	}
	return bytes;
}

export type HeardBurst = { index: number; startMs: number; endMs: number };

/** The bursts in a piece of PCM16 mono, by loudness in 10 ms frames; each named by its pitch from zero crossings. */
export function hearBursts(pcm: Int16Array, sampleRate: number): HeardBurst[] {
	const frame = Math.round(sampleRate / 100);
	const loud: boolean[] = [];
	for (let start = 0; start + frame <= pcm.length; start += frame) {
		let sum = 0;
		for (let offset = start; offset < start + frame; offset += 1) sum += Math.abs(pcm[offset]!);
		loud.push(sum / frame > 500);
	}
	const heard: HeardBurst[] = [];
	for (let first = loud.indexOf(true); first !== -1;) {
		let end = first;
		while (end < loud.length && loud[end]) end += 1;
		// Pitch from the span between the first and the last zero crossing, whatever the frames cut off at the edges.
		const crossings: number[] = [];
		for (let sample = first * frame + 1; sample < end * frame; sample += 1)
			if (pcm[sample - 1]! < 0 !== pcm[sample]! < 0) crossings.push(sample);
		const span = (crossings.at(-1)! - crossings[0]!) / sampleRate;
		const hz = crossings.length > 1 ? (crossings.length - 1) / 2 / span : 0;
		heard.push({ index: Math.round((hz - BURSTS.baseHz) / BURSTS.stepHz), startMs: first * 10, endMs: end * 10 });
		first = loud.indexOf(true, end);
	}
	return heard;
}

/** PCM16 mono samples of a WAV file the way the fakes check it: a 44-byte header whose sizes match the bytes. */
export function wavSamples(bytes: Uint8Array): { pcm: Int16Array; sampleRate: number } | null {
	if (bytes.length < 44) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
	if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ' || tag(36) !== 'data') return null;
	if (view.getUint16(22, true) !== 1 || view.getUint16(34, true) !== 16) return null;
	if (view.getUint32(40, true) !== bytes.length - 44 || view.getUint32(4, true) !== bytes.length - 8) return null;
	const copy = bytes.slice(44);
	return { pcm: new Int16Array(copy.buffer, 0, Math.floor(copy.length / 2)), sampleRate: view.getUint32(24, true) };
}
