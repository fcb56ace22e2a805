/**
 * Whether an answer of Aura's can be played as what was asked for: raw PCM16LE. Anything else
 * (an MP3, a WAV file, an error's JSON) would go to the browser byte for byte and play as noise.
 */

/** Media types that name some other format. Raw linear16 has no settled label (a generic one, or audio/l16), so only these are refused by name. */
const NOT_PCM = new Set([
	'application/json',
	'audio/mpeg',
	'audio/mp3',
	'audio/mpga',
	'audio/wav',
	'audio/wave',
	'audio/x-wav',
	'audio/vnd.wave',
	'audio/ogg',
	'audio/opus',
	'audio/aac',
	'audio/flac',
	'audio/x-flac',
	'audio/webm',
	'audio/mp4',
	'audio/basic'
]);

const startsWith = (bytes: Uint8Array, ascii: string, at = 0) =>
	bytes.byteLength >= at + ascii.length && [...ascii].every((char, index) => bytes[at + index] === char.charCodeAt(0));

/**
 * An MPEG audio frame header: 11 set sync bits, then a version, layer, bitrate and sample rate that
 * are not the reserved values. PCM that starts near silence (as speech does) never looks like one.
 */
function isMpegFrame(bytes: Uint8Array): boolean {
	if (bytes.byteLength < 4 || bytes[0] !== 0xff || (bytes[1]! & 0xe0) !== 0xe0) return false;
	const version = (bytes[1]! >> 3) & 0b11;
	const layer = (bytes[1]! >> 1) & 0b11;
	const bitrate = bytes[2]! >> 4;
	const sampleRate = (bytes[2]! >> 2) & 0b11;
	return version !== 0b01 && layer !== 0b00 && bitrate !== 0b1111 && sampleRate !== 0b11;
}

/** Why these bytes are not raw PCM16, judged by their label and their first bytes; null when they may be played. */
export function notPcm(contentType: string | null, bytes: Uint8Array): string | null {
	const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
	if (NOT_PCM.has(type) || type.startsWith('text/')) return `labelled ${type}`;
	if (startsWith(bytes, 'ID3')) return 'an MP3 (ID3 tag)';
	if (isMpegFrame(bytes)) return 'MPEG audio (frame sync)';
	if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WAVE', 8)) return 'a WAV file (RIFF header)';
	if (startsWith(bytes, 'OggS')) return 'an Ogg stream';
	if (startsWith(bytes, 'fLaC')) return 'a FLAC stream';
	return null;
}
