/**
 * Writes a stream of unknown length to R2 without holding it: R2's put needs the length up front
 * (a multipart body does not say how long its file part is), so anything past one part goes
 * through an R2 multipart upload, one fixed-size part at a time. On any failure, nothing is left.
 */

/** R2 wants every part but the last the same size, and at least 5 MiB. */
export const PART_BYTES = 8 * 1024 * 1024;

type Pending = { pieces: Uint8Array[]; bytes: number };

/** Takes exactly `count` bytes off the front of the pending pieces, as one buffer. */
function take(pending: Pending, count: number): Uint8Array {
	const out = new Uint8Array(count);
	let filled = 0;
	while (filled < count) {
		const head = pending.pieces[0]!;
		const used = Math.min(head.length, count - filled);
		out.set(head.subarray(0, used), filled);
		filled += used;
		if (used === head.length) pending.pieces.shift();
		else pending.pieces[0] = head.subarray(used);
	}
	pending.bytes -= count;
	return out;
}

export async function storeStream(
	bucket: R2Bucket,
	key: string,
	pieces: AsyncIterable<Uint8Array>,
	options: { contentType: string; maxBytes: number; tooLarge: () => Error }
): Promise<number> {
	const httpMetadata = { contentType: options.contentType };
	const pending: Pending = { pieces: [], bytes: 0 };
	const uploaded: R2UploadedPart[] = [];
	let upload: R2MultipartUpload | null = null;
	let size = 0;
	try {
		for await (const piece of pieces) {
			size += piece.length;
			if (size > options.maxBytes) throw options.tooLarge();
			pending.pieces.push(piece);
			pending.bytes += piece.length;
			while (pending.bytes >= PART_BYTES) {
				upload ??= await bucket.createMultipartUpload(key, { httpMetadata });
				uploaded.push(await upload.uploadPart(uploaded.length + 1, take(pending, PART_BYTES)));
			}
		}
		const rest = take(pending, pending.bytes);
		if (!upload) {
			await bucket.put(key, rest, { httpMetadata });
			return size;
		}
		if (rest.length > 0) uploaded.push(await upload.uploadPart(uploaded.length + 1, rest));
		await upload.complete(uploaded);
		return size;
	} catch (error) {
		if (upload) await upload.abort().catch(() => undefined);
		throw error;
	}
}
