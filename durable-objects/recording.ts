import type { AudioChunk, AudioTrack, InterviewStore } from './interview-store';
import { AudioRecorder } from './audio-recorder';

/**
 * Both tracks are stored at least this often: an abrupt end of the process loses at most this much
 * of either (its turns are stored as they happen, so what was said survives in the transcript).
 */
export const FLUSH_MS = 250;

/**
 * The interview's two recordings (respondent and interviewer), stored together: one write holds
 * what both tracks collected, every 250 ms, or sooner when one of them has that much. Every write
 * is a storage commit that outgoing frames wait for, so one write for both tracks halves what a
 * write per track cost; a longer interval would be cheaper still, but a crash must not lose more
 * than 250 ms of what the respondent said (docs/BENCHMARKS.md has the figures).
 */
export class Recording {
	private readonly recorders = new Map<AudioTrack, AudioRecorder>();
	private timer: ReturnType<typeof setTimeout> | null = null;

	constructor(private readonly store: InterviewStore) {}

	track(track: AudioTrack): AudioRecorder {
		let recorder = this.recorders.get(track);
		if (!recorder) {
			recorder = new AudioRecorder(this.store, track);
			this.recorders.set(track, recorder);
		}
		return recorder;
	}

	/**
	 * `endMs`: where the frame ended on the interview timeline (ms since the start). A write is due
	 * 250 ms after the first frame it will hold; a track that collects 250 ms sooner (a burst) is
	 * written at once, and the timer, left running, writes what came after it. Never cancelling the
	 * timer keeps it to one per write in a steady stream, where set-and-clear cost two.
	 */
	push(track: AudioTrack, pcm: ArrayBuffer, endMs: number): void {
		const recorder = this.track(track);
		recorder.push(pcm, endMs);
		if (recorder.pendingMs >= FLUSH_MS) this.flush();
		else this.timer ??= setTimeout(this.due, FLUSH_MS);
	}

	private readonly due = () => {
		this.timer = null;
		this.flush();
	};

	/** Stores what both tracks hold in one statement, in the same event, so it is one commit. */
	flush(): void {
		const chunks: AudioChunk[] = [];
		for (const recorder of this.recorders.values()) {
			const chunk = recorder.take();
			if (chunk) chunks.push(chunk);
		}
		this.store.appendAudio(chunks);
	}

	/** A new interview in the same object: its recordings start from nothing. */
	forget(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.recorders.clear();
	}
}
