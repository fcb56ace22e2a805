/** PCM16LE mono 24 kHz as the providers handle it: base64 for JSON protocols, durations, and what of a cut reply was heard. */
import { Buffer } from 'node:buffer';
import { BYTES_PER_MS } from '../contracts/protocol-constants';

/** Encodes through a view of the bytes: `Buffer.from` of a typed array would copy them first, on every frame. */
export const toBase64 = (pcm: ArrayBuffer | Uint8Array): string =>
	(pcm instanceof Uint8Array ? Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength) : Buffer.from(pcm)).toString('base64');

export function fromBase64(text: string): ArrayBuffer {
	const bytes = Buffer.from(text, 'base64');
	return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** How long `bytes` of PCM16LE mono 24 kHz audio play. */
export const durationMs = (bytes: number) => bytes / BYTES_PER_MS;

/** Keeps the share of `text` that was heard: words in proportion to the audio played. */
export function spokenPart(text: string, playedMs: number, totalMs: number): string {
	if (totalMs <= 0 || playedMs >= totalMs) return text;
	const words = text.split(/\s+/).filter(Boolean);
	const kept = Math.max(0, Math.min(words.length, Math.round((words.length * playedMs) / totalMs)));
	if (kept >= words.length) return text;
	return kept === 0 ? '…' : `${words.slice(0, kept).join(' ')}…`;
}
