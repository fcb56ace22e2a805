/** PCM16LE mono 24 kHz as the providers handle it: base64 for JSON protocols, durations, and what of a cut reply was heard. */
import { BYTES_PER_MS } from '../contracts/protocol-constants';

/**
 * Base64 through the runtime's native `Uint8Array` codec: no `Buffer` in between, and the encoder
 * reads a view of the frame's bytes rather than a copy (the relay does this for every frame).
 */
export const toBase64 = (pcm: ArrayBuffer | Uint8Array): string => (pcm instanceof Uint8Array ? pcm : new Uint8Array(pcm)).toBase64();

/** The decoded bytes own their whole buffer, so it is handed on as it is, without a copy. */
export const fromBase64 = (text: string): ArrayBuffer => Uint8Array.fromBase64(text).buffer;

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
