import { SAMPLE_RATE } from './wire';
import { pcm16ToFloat32 } from './pcm';

/** Audio queued before the first chunk plays, and again after the buffer ran dry. */
const START_LATENCY_S = 0.1;
/** A chunk due sooner than this would start late and click; it restarts the buffer instead. */
const SCHEDULING_MARGIN_S = 0.01;

/**
 * Interviewer audio: PCM16LE 24 kHz chunks from the server, scheduled back to back as
 * AudioBufferSourceNodes behind a ~100 ms jitter buffer. `flush` silences everything queued at once.
 */
export class PcmPlayer {
	/** True while scheduled audio is still playing. */
	playing = $state(false);
	/** The context exists but waits for a user gesture before it will play. */
	suspended = $state(false);

	private context: AudioContext | null = null;
	private nextStartAt = 0;
	private readonly sources = new Set<AudioBufferSourceNode>();

	/** Creates (or resumes) the output; call it from a user gesture so browsers allow sound. */
	async unlock(): Promise<void> {
		const context = this.ensureContext();
		if (context.state === 'suspended') await context.resume().catch(() => undefined);
		this.suspended = context.state === 'suspended';
	}

	enqueue(pcm: ArrayBuffer): void {
		const samples = pcm16ToFloat32(pcm);
		if (samples.length === 0) return;
		const context = this.ensureContext();
		const buffer = context.createBuffer(1, samples.length, SAMPLE_RATE);
		buffer.copyToChannel(samples, 0);
		const source = context.createBufferSource();
		source.buffer = buffer;
		source.connect(context.destination);
		if (this.nextStartAt < context.currentTime + SCHEDULING_MARGIN_S) this.nextStartAt = context.currentTime + START_LATENCY_S;
		source.start(this.nextStartAt);
		this.nextStartAt += buffer.duration;
		this.sources.add(source);
		this.playing = true;
		source.onended = () => {
			this.sources.delete(source);
			this.playing = this.sources.size > 0;
		};
	}

	/** Barge-in: drop everything queued or playing, now. */
	flush(): void {
		for (const source of this.sources) {
			source.onended = null;
			try {
				source.stop();
			} catch {
				// Never started: nothing to stop.
			}
			source.disconnect();
		}
		this.sources.clear();
		this.nextStartAt = 0;
		this.playing = false;
	}

	close(): void {
		this.flush();
		void this.context?.close().catch(() => undefined);
		this.context = null;
	}

	private ensureContext(): AudioContext {
		if (this.context) return this.context;
		const context = new AudioContext({ latencyHint: 'interactive' });
		context.onstatechange = () => {
			this.suspended = context.state === 'suspended';
		};
		this.context = context;
		this.suspended = context.state === 'suspended';
		return context;
	}
}
