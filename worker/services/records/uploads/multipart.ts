import { ApiError } from '../../../lib/errors';

/**
 * A streaming reader of multipart/form-data. Request.formData() holds the whole body, and again
 * each file in it, which a recording of tens of megabytes cannot afford in a 128 MB Worker; this
 * hands out one part at a time and its body as it arrives, keeping only a delimiter's length back.
 */

export type PartHead = { name: string; filename: string | null; contentType: string | null };

const MAX_HEADER_BYTES = 16 * 1024;
const encoder = new TextEncoder();

const malformed = () => new ApiError('invalid_request', 'Send the upload as multipart/form-data with a "file" field.');

/** The boundary of a multipart/form-data Content-Type, or null when it is not one. */
export function multipartBoundary(contentType: string): string | null {
	if (!/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) return null;
	const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
	return match ? (match[1] ?? match[2]!) : null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
	const last = haystack.length - needle.length;
	for (let index = haystack.indexOf(needle[0]!, from); index !== -1 && index <= last; index = haystack.indexOf(needle[0]!, index + 1)) {
		let matched = 1;
		while (matched < needle.length && haystack[index + matched] === needle[matched]) matched += 1;
		if (matched === needle.length) return index;
	}
	return -1;
}

function concat(left: Uint8Array, right: Uint8Array): Uint8Array {
	if (left.length === 0) return right;
	const joined = new Uint8Array(left.length + right.length);
	joined.set(left, 0);
	joined.set(right, left.length);
	return joined;
}

/** `name`, `filename` (or RFC 5987 `filename*`) from a Content-Disposition header. */
function dispositionParams(header: string): Record<string, string> {
	const params: Record<string, string> = {};
	for (const match of header.matchAll(/;\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
		const key = match[1]!.toLowerCase();
		const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!.trim();
		if (key === 'filename*') {
			const encoded = /^[\w-]+'[^']*'(.*)$/.exec(value);
			try {
				params.filename = decodeURIComponent(encoded ? encoded[1]! : value);
			} catch {
				params.filename = value;
			}
		} else if (!(key === 'filename' && 'filename' in params)) params[key] = value;
	}
	return params;
}

function parseHead(bytes: Uint8Array): PartHead {
	const headers = new Map<string, string>();
	for (const line of new TextDecoder().decode(bytes).split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	const disposition = headers.get('content-disposition');
	if (!disposition || !/^form-data\b/i.test(disposition)) throw malformed();
	const params = dispositionParams(disposition);
	if (params.name === undefined) throw malformed();
	return { name: params.name, filename: params.filename ?? null, contentType: headers.get('content-type') ?? null };
}

export class MultipartReader {
	private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
	private readonly delimiter: Uint8Array;
	/** Starts with a CRLF so the first delimiter, which has none before it, matches like the others. */
	private buffer = encoder.encode('\r\n');
	private exhausted = false;
	private finished = false;
	private inBody = false;
	private received = 0;

	constructor(
		body: ReadableStream<Uint8Array>,
		boundary: string,
		private readonly maxBytes: number,
		private readonly tooLarge: () => Error
	) {
		this.reader = body.getReader();
		this.delimiter = encoder.encode(`\r\n--${boundary}`);
	}

	/** Reads one more chunk of the body into the buffer; false at its end. */
	private async fill(): Promise<boolean> {
		if (this.exhausted) return false;
		const { done, value } = await this.reader.read();
		if (done) {
			this.exhausted = true;
			return false;
		}
		this.received += value.byteLength;
		if (this.received > this.maxBytes) throw this.tooLarge();
		this.buffer = concat(this.buffer, value);
		return true;
	}

	/** The next part's headers (skipping what is left of the current part), or null after the last one. */
	async next(): Promise<PartHead | null> {
		if (this.inBody) for await (const piece of this.body()) void piece;
		if (this.finished) return null;
		let start = indexOf(this.buffer, this.delimiter);
		while (start === -1) {
			// Only a preamble can precede the first delimiter; keep the tail that may begin one.
			this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.delimiter.length));
			if (!(await this.fill())) throw malformed();
			start = indexOf(this.buffer, this.delimiter);
		}
		this.buffer = this.buffer.subarray(start + this.delimiter.length);
		while (this.buffer.length < 2) if (!(await this.fill())) throw malformed();
		if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
			this.finished = true;
			await this.reader.cancel().catch(() => undefined);
			return null;
		}
		let end = indexOf(this.buffer, encoder.encode('\r\n\r\n'));
		while (end === -1) {
			if (this.buffer.length > MAX_HEADER_BYTES || !(await this.fill())) throw malformed();
			end = indexOf(this.buffer, encoder.encode('\r\n\r\n'));
		}
		const head = parseHead(this.buffer.subarray(0, end));
		this.buffer = this.buffer.subarray(end + 4);
		this.inBody = true;
		return head;
	}

	/** The current part's body, piece by piece; it ends where the next delimiter begins. */
	async *body(): AsyncGenerator<Uint8Array> {
		while (this.inBody) {
			const end = indexOf(this.buffer, this.delimiter);
			if (end !== -1) {
				if (end > 0) yield this.buffer.subarray(0, end);
				// The delimiter stays in the buffer for next() to find.
				this.buffer = this.buffer.subarray(end);
				this.inBody = false;
				return;
			}
			const safe = this.buffer.length - (this.delimiter.length - 1);
			if (safe > 0) {
				const piece = this.buffer.subarray(0, safe);
				this.buffer = this.buffer.subarray(safe);
				yield piece;
			}
			if (!(await this.fill())) throw malformed();
		}
	}

	/** Stops reading the request: after a refusal, the rest of it is not wanted. */
	async cancel(): Promise<void> {
		await this.reader.cancel().catch(() => undefined);
	}

	/** The current part's body as text, refused past `maxBytes`. */
	async text(maxBytes: number, tooLarge: () => Error): Promise<string> {
		return new TextDecoder().decode(await this.bytes(maxBytes, tooLarge));
	}

	/** The current part's body in memory: only for parts known to be small. */
	async bytes(maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
		const pieces: Uint8Array[] = [];
		let size = 0;
		for await (const piece of this.body()) {
			size += piece.length;
			if (size > maxBytes) throw tooLarge();
			pieces.push(piece);
		}
		const out = new Uint8Array(size);
		let offset = 0;
		for (const piece of pieces) {
			out.set(piece, offset);
			offset += piece.length;
		}
		return out;
	}
}
