import { SAMPLE_RATE } from '../contracts/protocol';

export const WAV_HEADER_BYTES = 44;

/** The 44-byte RIFF header of a PCM WAV file holding `dataBytes` of samples (mono 16-bit unless told otherwise). */
export function wavHeader(dataBytes: number, sampleRate = SAMPLE_RATE, channels = 1, bitsPerSample = 16): Uint8Array {
	const header = new DataView(new ArrayBuffer(WAV_HEADER_BYTES));
	const ascii = (offset: number, text: string) => [...text].forEach((char, index) => header.setUint8(offset + index, char.charCodeAt(0)));
	const blockAlign = channels * (bitsPerSample / 8);
	ascii(0, 'RIFF');
	header.setUint32(4, 36 + dataBytes, true);
	ascii(8, 'WAVE');
	ascii(12, 'fmt ');
	header.setUint32(16, 16, true);
	header.setUint16(20, 1, true);
	header.setUint16(22, channels, true);
	header.setUint32(24, sampleRate, true);
	header.setUint32(28, sampleRate * blockAlign, true);
	header.setUint16(32, blockAlign, true);
	header.setUint16(34, bitsPerSample, true);
	ascii(36, 'data');
	header.setUint32(40, dataBytes, true);
	return new Uint8Array(header.buffer);
}

export type WavInfo = { sampleRate: number; channels: number; bitsPerSample: number; dataOffset: number; dataBytes: number };

/** Reads a WAV header (RIFF, PCM), walking the chunks to find `fmt ` and `data`; null when it is not one. */
export function parseWav(bytes: Uint8Array): WavInfo | null {
	if (bytes.byteLength < WAV_HEADER_BYTES) return null;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
	if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
	let offset = 12;
	let format: Omit<WavInfo, 'dataOffset' | 'dataBytes'> | null = null;
	while (offset + 8 <= bytes.byteLength) {
		const id = tag(offset);
		const size = view.getUint32(offset + 4, true);
		if (id === 'fmt ' && offset + 24 <= bytes.byteLength) {
			if (view.getUint16(offset + 8, true) !== 1) return null;
			format = {
				channels: view.getUint16(offset + 10, true),
				sampleRate: view.getUint32(offset + 12, true),
				bitsPerSample: view.getUint16(offset + 22, true)
			};
		}
		if (id === 'data')
			return format ? { ...format, dataOffset: offset + 8, dataBytes: Math.min(size, bytes.byteLength - offset - 8) } : null;
		offset += 8 + size + (size % 2);
	}
	return null;
}
