import { ApiError } from '../../lib/errors';
import type { RecordRow } from './records';

/** Streams a record's audio from R2, honouring a single byte Range so players can seek. */

const CONTENT_TYPES: Record<string, string> = {
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	webm: 'audio/webm',
	ogg: 'audio/ogg'
};

export function audioContentType(key: string): string {
	return CONTENT_TYPES[key.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

type ByteRange = { offset: number; length: number } | 'unsatisfiable' | null;

export function parseRange(header: string | null, size: number): ByteRange {
	if (!header) return null;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (!match[1] && !match[2])) return null;
	if (!match[1]) {
		const suffix = Math.min(Number(match[2]), size);
		return suffix > 0 ? { offset: size - suffix, length: suffix } : 'unsatisfiable';
	}
	const start = Number(match[1]);
	const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
	if (start >= size || end < start) return 'unsatisfiable';
	return { offset: start, length: end - start + 1 };
}

export async function audioResponse(files: R2Bucket, row: RecordRow, rangeHeader: string | null): Promise<Response> {
	if (!row.audioKey) throw new ApiError('not_found', 'This record has no audio.');
	const head = await files.head(row.audioKey);
	if (!head) throw new ApiError('not_found', 'The audio of this record is missing.');
	const headers = new Headers({
		'Content-Type': audioContentType(row.audioKey),
		'Accept-Ranges': 'bytes',
		'Cache-Control': 'private, max-age=300',
		ETag: head.httpEtag
	});
	const range = parseRange(rangeHeader, head.size);
	if (range === 'unsatisfiable') {
		headers.set('Content-Range', `bytes */${head.size}`);
		return new Response(null, { status: 416, headers });
	}
	const object = await files.get(row.audioKey, range ? { range } : undefined);
	if (!object) throw new ApiError('not_found', 'The audio of this record is missing.');
	if (range) {
		headers.set('Content-Range', `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
		headers.set('Content-Length', String(range.length));
		return new Response(object.body, { status: 206, headers });
	}
	headers.set('Content-Length', String(head.size));
	return new Response(object.body, { status: 200, headers });
}
