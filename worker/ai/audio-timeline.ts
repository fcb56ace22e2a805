/** A frame of respondent audio: where it starts on the upstream's timeline, and in the interview. */
type Mark = { upstreamMs: number; atMs: number };

/** Marks kept per upstream socket; past this the oldest half goes (speech is placed near the present). */
const MAX_MARKS = 4_096;

/**
 * The respondent audio one upstream socket has heard, laid end to end. Providers report speech at a
 * position on that timeline (OpenAI's `audio_start_ms`, Flux's `audio_window_start`), which skips
 * the gaps where the microphone was muted or frames were dropped; the marks map it back to interview
 * time, so a turn starts when the respondent really began to speak.
 */
export class AudioTimeline {
	private marks: Mark[] = [];
	private endMs = 0;

	/** Milliseconds of audio sent on the current socket: where the next frame will start. */
	get positionMs(): number {
		return this.endMs;
	}

	/** A new socket hears from zero. */
	restart(): void {
		this.marks = [];
		this.endMs = 0;
	}

	/** A frame of `ms` that started at `atMs` in the interview goes upstream next. */
	append(atMs: number, ms: number): void {
		this.marks.push({ upstreamMs: this.endMs, atMs });
		if (this.marks.length > MAX_MARKS) this.marks.splice(0, MAX_MARKS / 2);
		this.endMs += ms;
	}

	/**
	 * Interview time of a position on the timeline: from the last frame that started at or before it
	 * (the first frame, for a position before any), or undefined while nothing was sent.
	 */
	place(upstreamMs: number): number | undefined {
		let best = this.marks[0];
		for (const mark of this.marks) {
			if (mark.upstreamMs > upstreamMs) break;
			best = mark;
		}
		return best ? Math.max(0, best.atMs + (upstreamMs - best.upstreamMs)) : undefined;
	}
}
