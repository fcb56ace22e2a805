import { BYTES_PER_MS, MAX_AUDIO_FRAME_BYTES } from '../worker/contracts/protocol-constants';
import type { AudioChunk, AudioTrack, InterviewStore } from './interview-store';

/** A pause longer than this (mute, reconnect) is kept as silence, so the audio stays aligned with the turns. */
const GAP_BYTES = 300 * BYTES_PER_MS;
/** Room for a write's worth of audio (250 ms) and the frame that tips it over; a burst grows it. */
const INITIAL_BYTES = 250 * BYTES_PER_MS + MAX_AUDIO_FRAME_BYTES;

const even = (value: number) => Math.max(0, Math.round(value / 2) * 2);

/**
 * Collects one track's PCM on the interview timeline. Frames that arrive back to back are laid end
 * to end (jitter is absorbed); a frame that arrives after a real gap starts where the wall clock says.
 * When to store what it holds is the recording's call (durable-objects/recording.ts), except
 * before a gap, where what came before is stored at once. Frames are copied into one buffer that is
 * used again after every write, so recording allocates nothing per frame or per write.
 */
export class AudioRecorder {
	private buffer = new Uint8Array(INITIAL_BYTES);
	private pendingBytes = 0;
	private pendingOffset = 0;
	private endBytes: number;

	constructor(
		private readonly store: InterviewStore,
		private readonly track: AudioTrack
	) {
		this.endBytes = store.audioEndBytes(track);
	}

	/** Where a frame of `bytes` that arrived at `endMs` would be laid: after the last one, or where the clock says after a gap. */
	private startOf(bytes: number, endMs: number): number {
		const startBytes = even(endMs * BYTES_PER_MS - bytes);
		return startBytes - this.endBytes > GAP_BYTES ? startBytes : this.endBytes;
	}

	/** Whether that frame would end after `limitMs` on the interview timeline. */
	wouldEndAfter(bytes: number, endMs: number, limitMs: number): boolean {
		return this.startOf(bytes, endMs) + bytes > limitMs * BYTES_PER_MS;
	}

	/** `endMs`: where the frame ended on the interview timeline (ms since the start). */
	push(pcm: ArrayBuffer, endMs: number): void {
		const startBytes = this.startOf(pcm.byteLength, endMs);
		if (startBytes !== this.endBytes) {
			const before = this.take();
			if (before) this.store.appendAudio([before]);
			this.endBytes = startBytes;
		}
		if (this.pendingBytes === 0) this.pendingOffset = this.endBytes;
		this.makeRoom(pcm.byteLength);
		this.buffer.set(new Uint8Array(pcm), this.pendingBytes);
		this.pendingBytes += pcm.byteLength;
		this.endBytes += pcm.byteLength;
	}

	private makeRoom(bytes: number): void {
		if (this.pendingBytes + bytes <= this.buffer.byteLength) return;
		const larger = new Uint8Array(Math.max(2 * this.buffer.byteLength, this.pendingBytes + bytes));
		larger.set(this.buffer.subarray(0, this.pendingBytes));
		this.buffer = larger;
	}

	/** Milliseconds of audio collected and not yet stored. */
	get pendingMs(): number {
		return this.pendingBytes / BYTES_PER_MS;
	}

	/**
	 * What was collected and not yet stored, as one chunk (null when nothing was); the recorder starts
	 * collecting afresh. The chunk is a view of the recorder's buffer: store it before the next push.
	 */
	take(): AudioChunk | null {
		if (this.pendingBytes === 0) return null;
		const chunk = { track: this.track, offsetBytes: this.pendingOffset, pcm: this.buffer.subarray(0, this.pendingBytes) };
		this.pendingBytes = 0;
		return chunk;
	}
}
