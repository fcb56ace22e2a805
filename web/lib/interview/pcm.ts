/** PCM16LE bytes → float samples in -1..1 (an odd trailing byte is ignored). */
export function pcm16ToFloat32(pcm: ArrayBuffer): Float32Array<ArrayBuffer> {
	const view = new DataView(pcm);
	const samples = new Float32Array(Math.floor(pcm.byteLength / 2));
	for (let index = 0; index < samples.length; index += 1) samples[index] = view.getInt16(index * 2, true) / 0x8000;
	return samples;
}
