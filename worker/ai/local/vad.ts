import { SAMPLE_RATE } from '../../contracts/protocol';

export type VadOptions = { threshold: number; startMs: number; endSilenceMs: number; minSpeechMs: number };
const MAX_JITTER_MS = 300;
const DEFAULTS: VadOptions = { threshold: 0.02, startMs: 120, endSilenceMs: 900, minSpeechMs: 400 };

export type VadEvent = { type: 'start'; atMs: number } | { type: 'end'; startMs: number; endMs: number };

/** RMS of a PCM16LE frame, 0..1. */
export function frameEnergy(pcm: ArrayBuffer): number {
	const samples = new Int16Array(pcm, 0, Math.floor(pcm.byteLength / 2));
	if (samples.length === 0) return 0;
	let sum = 0;
	for (const sample of samples) sum += sample * sample;
	return Math.sqrt(sum / samples.length) / 32768;
}

/**
 * Energy-based voice activity detection: speech starts after `startMs` of frames above the
 * threshold and ends after `endSilenceMs` below it. Utterances shorter than `minSpeechMs` are dropped.
 */
export class EnergyVad {
	private readonly options: VadOptions;
	private loudMs = 0;
	private quietMs = 0;
	private speechStartMs: number | null = null;
	private candidateStartMs = 0;
	private positionMs = 0;

	constructor(options: Partial<VadOptions> = {}) {
		this.options = { ...DEFAULTS, ...options };
	}

	/**
	 * Feeds one frame that began at `arrivalMs` by the wall clock; returns the edges it crossed.
	 * Frames are timed by their length, back to back (network bursts do not squeeze them);
	 * only a real pause moves the position to the wall clock.
	 */
	push(pcm: ArrayBuffer, arrivalMs: number): VadEvent[] {
		const durationMs = (pcm.byteLength / 2 / SAMPLE_RATE) * 1000;
		const atMs = arrivalMs - this.positionMs > MAX_JITTER_MS ? arrivalMs : this.positionMs;
		this.positionMs = atMs + durationMs;
		const loud = frameEnergy(pcm) >= this.options.threshold;
		const events: VadEvent[] = [];
		if (this.speechStartMs === null) {
			if (!loud) {
				this.loudMs = 0;
				return events;
			}
			if (this.loudMs === 0) this.candidateStartMs = atMs;
			this.loudMs += durationMs;
			if (this.loudMs >= this.options.startMs) {
				this.speechStartMs = this.candidateStartMs;
				this.quietMs = 0;
				events.push({ type: 'start', atMs: this.speechStartMs });
			}
			return events;
		}
		this.quietMs = loud ? 0 : this.quietMs + durationMs;
		if (this.quietMs >= this.options.endSilenceMs) {
			const endMs = atMs + durationMs - this.quietMs;
			if (endMs - this.speechStartMs >= this.options.minSpeechMs) events.push({ type: 'end', startMs: this.speechStartMs, endMs });
			this.speechStartMs = null;
			this.loudMs = 0;
			this.quietMs = 0;
		}
		return events;
	}

	get speaking(): boolean {
		return this.speechStartMs !== null;
	}
}
