import { SAMPLE_RATE } from './wire';

export type MicrophoneState = 'idle' | 'asking' | 'granted' | 'denied' | 'no-device' | 'busy' | 'unsupported';

const WORKLET_URL = '/worklets/capture.js';
const WORKLET_NAME = 'parley-capture';
/** The meter falls back gently instead of flickering between frames. */
const METER_DECAY = 0.8;
/** The quietest level the meter shows, in dBFS; 0 dBFS fills it. */
const METER_FLOOR_DB = -60;

type CaptureMessage = { pcm: ArrayBuffer; level: number };

const CONSTRAINTS: MediaStreamConstraints = {
	audio: { echoCancellation: false, autoGainControl: false, noiseSuppression: false, channelCount: 1 },
	video: false
};

function stateForError(error: unknown): MicrophoneState {
	const name = error instanceof DOMException ? error.name : '';
	if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
	if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-device';
	return 'busy';
}

/** A 24 kHz context when the browser can feed the microphone into one; otherwise its own rate (the worklet resamples). */
async function captureContextFor(stream: MediaStream): Promise<{ context: AudioContext; source: MediaStreamAudioSourceNode }> {
	try {
		const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
		try {
			return { context, source: context.createMediaStreamSource(stream) };
		} catch (error) {
			// Firefox refuses a microphone in a context that runs at another rate than the device.
			await context.close();
			throw error;
		}
	} catch {
		const context = new AudioContext({ latencyHint: 'interactive' });
		return { context, source: context.createMediaStreamSource(stream) };
	}
}

/**
 * The microphone: permission, a capture graph (source → AudioWorklet) that yields PCM16 frames of
 * 40 ms, and the level of the same frames for the meter. Frames go to `onFrame` unless muted.
 */
export class Microphone {
	state = $state<MicrophoneState>('idle');
	/** 0..1, for the level meter. */
	level = $state(0);
	muted = $state(false);
	/** The capture graph exists but the browser has not let it run yet (no user gesture since a reload). */
	suspended = $state(false);

	onFrame: ((pcm: ArrayBuffer) => void) | null = null;

	private stream: MediaStream | null = null;
	private context: AudioContext | null = null;
	private node: AudioWorkletNode | null = null;

	get active(): boolean {
		return this.state === 'granted';
	}

	async request(): Promise<MicrophoneState> {
		if (this.state === 'granted' || this.state === 'asking') return this.state;
		if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
			this.state = 'unsupported';
			return this.state;
		}
		this.state = 'asking';
		try {
			this.stream = await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
		} catch (error) {
			this.state = stateForError(error);
			return this.state;
		}
		try {
			await this.buildGraph(this.stream);
			this.applyMute();
			this.state = 'granted';
		} catch {
			this.release();
			this.state = 'busy';
		}
		return this.state;
	}

	setMuted(on: boolean): void {
		this.muted = on;
		this.applyMute();
	}

	/** Call from a user gesture: lets a context the browser suspended (autoplay policy) run. */
	async resume(): Promise<void> {
		if (this.context?.state === 'suspended') await this.context.resume();
		this.suspended = this.context?.state === 'suspended';
	}

	stop(): void {
		this.release();
		this.level = 0;
		if (this.state === 'granted') this.state = 'idle';
	}

	private async buildGraph(stream: MediaStream): Promise<void> {
		const { context, source } = await captureContextFor(stream);
		this.context = context;
		await context.audioWorklet.addModule(WORKLET_URL);
		const node = new AudioWorkletNode(context, WORKLET_NAME, {
			numberOfInputs: 1,
			numberOfOutputs: 1,
			channelCount: 1,
			channelCountMode: 'explicit'
		});
		node.port.onmessage = (event: MessageEvent<CaptureMessage>) => this.receive(event.data);
		source.connect(node);
		// The processor writes nothing, so this is silent; it only makes every browser pull the node.
		node.connect(context.destination);
		this.node = node;
		context.onstatechange = () => {
			this.suspended = context.state === 'suspended';
		};
		// Without a user gesture (a reload) the promise waits for one; the page offers a button meanwhile.
		if (context.state === 'suspended') void context.resume().catch(() => undefined);
		this.suspended = context.state === 'suspended';
	}

	private receive({ pcm, level }: CaptureMessage): void {
		const decibels = 20 * Math.log10(Math.max(level, 1e-6));
		const shown = this.muted ? 0 : Math.min(1, Math.max(0, 1 - decibels / METER_FLOOR_DB));
		this.level = Math.max(shown, this.level * METER_DECAY);
		if (!this.muted) this.onFrame?.(pcm);
	}

	/** Muted means silent at the source too, not just unsent. */
	private applyMute(): void {
		for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !this.muted;
	}

	private release(): void {
		this.node?.port.close();
		this.node?.disconnect();
		this.node = null;
		for (const track of this.stream?.getTracks() ?? []) track.stop();
		this.stream = null;
		void this.context?.close().catch(() => undefined);
		this.context = null;
		this.suspended = false;
	}
}
