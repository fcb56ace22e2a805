/**
 * Microphone capture for the interview: mono PCM16LE at 24 kHz in frames of 40 ms (960 samples,
 * 1920 bytes), each posted to the main thread with its RMS level for the meter.
 *
 * The page asks for a 24 kHz AudioContext; where the browser runs the graph at another rate,
 * this processor resamples: by area averaging when it downsamples (a cheap low-pass that keeps
 * the worst aliasing out of speech), by linear interpolation when it upsamples.
 */
const TARGET_RATE = 24000;
const FRAME_SAMPLES = 960;

class CaptureProcessor extends AudioWorkletProcessor {
	constructor() {
		super();
		/** Input samples per output sample. */
		this.step = sampleRate / TARGET_RATE;
		this.frame = new DataView(new ArrayBuffer(FRAME_SAMPLES * 2));
		this.filled = 0;
		this.sumOfSquares = 0;
		/** Downsampling: the weighted sum and weight gathered for the output sample being built. */
		this.areaSum = 0;
		this.areaWeight = 0;
		/** Upsampling: where the next output sample sits, in input samples after `previous`. */
		this.position = 0;
		this.previous = 0;
	}

	process(inputs) {
		const channels = inputs[0];
		if (!channels || channels.length === 0) return true;
		const mono = channels.length === 1 ? channels[0] : mixDown(channels);
		if (this.step === 1) for (let index = 0; index < mono.length; index += 1) this.push(mono[index]);
		else if (this.step > 1) this.downsample(mono);
		else this.upsample(mono);
		return true;
	}

	downsample(block) {
		for (let index = 0; index < block.length; index += 1) {
			let remaining = 1;
			while (remaining > 0) {
				const taken = Math.min(remaining, this.step - this.areaWeight);
				this.areaSum += block[index] * taken;
				this.areaWeight += taken;
				remaining -= taken;
				if (this.areaWeight >= this.step - 1e-9) {
					this.push(this.areaSum / this.step);
					this.areaSum = 0;
					this.areaWeight = 0;
				}
			}
		}
	}

	upsample(block) {
		let index = 0;
		while (index < block.length) {
			const before = index === 0 ? this.previous : block[index - 1];
			this.push(before + (block[index] - before) * this.position);
			this.position += this.step;
			while (this.position >= 1 && index < block.length) {
				this.position -= 1;
				index += 1;
			}
		}
		this.previous = block[block.length - 1];
	}

	push(sample) {
		const clamped = Math.max(-1, Math.min(1, sample));
		this.frame.setInt16(this.filled * 2, clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff, true);
		this.sumOfSquares += clamped * clamped;
		this.filled += 1;
		if (this.filled < FRAME_SAMPLES) return;
		const pcm = this.frame.buffer;
		this.port.postMessage({ pcm, level: Math.sqrt(this.sumOfSquares / FRAME_SAMPLES) }, [pcm]);
		this.frame = new DataView(new ArrayBuffer(FRAME_SAMPLES * 2));
		this.filled = 0;
		this.sumOfSquares = 0;
	}
}

function mixDown(channels) {
	const mixed = new Float32Array(channels[0].length);
	for (const channel of channels) for (let index = 0; index < mixed.length; index += 1) mixed[index] += channel[index] / channels.length;
	return mixed;
}

registerProcessor('parley-capture', CaptureProcessor);
