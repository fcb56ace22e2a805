import { ApiError } from '../../lib/errors';
import { audioKey } from '../../lib/storage-keys';
import type { RecordRow } from './records';
import { monoTrack, stereoSize, stereoWavStream } from './stereo';

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

/** Which audio of a record: both sides as one stereo file (the default), or one side alone. */
export type AudioTrackChoice = 'conversation' | 'respondent' | 'interviewer';

/** Where the interviewer's voice of an interview record is kept (it exists only where the provider spoke). */
export function interviewerAudioKey(row: RecordRow): string | null {
	return row.source === 'interview' && row.interviewId ? audioKey(row.workspaceId, row.projectId, row.interviewId, 'interviewer') : null;
}

/** The tracks a record has in R2, in channel order. */
export async function recordAudioTracks(files: R2Bucket, row: RecordRow): Promise<('respondent' | 'interviewer')[]> {
	const interviewerKey = interviewerAudioKey(row);
	const interviewer = interviewerKey ? await files.head(interviewerKey) : null;
	return [...(row.audioKey ? (['respondent'] as const) : []), ...(interviewer ? (['interviewer'] as const) : [])];
}

type Served = { status: number; headers: Headers; range: { offset: number; length: number } | null; size: number };

/** The headers (and the part asked for) of a file of `size` bytes, or the 416 answer. */
function serve(size: number, contentType: string, etag: string, rangeHeader: string | null): Served {
	const headers = new Headers({
		'Content-Type': contentType,
		'Accept-Ranges': 'bytes',
		'Cache-Control': 'private, max-age=300',
		ETag: etag
	});
	const range = parseRange(rangeHeader, size);
	if (range === 'unsatisfiable') {
		headers.set('Content-Range', `bytes */${size}`);
		return { status: 416, headers, range: null, size };
	}
	if (range) {
		headers.set('Content-Range', `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`);
		headers.set('Content-Length', String(range.length));
		return { status: 206, headers, range, size };
	}
	headers.set('Content-Length', String(size));
	return { status: 200, headers, range: null, size };
}

async function storedFileResponse(files: R2Bucket, key: string | null, rangeHeader: string | null, disposition: string | null) {
	if (!key) throw new ApiError('not_found', 'This record has no such audio.');
	const head = await files.head(key);
	if (!head) throw new ApiError('not_found', 'The audio of this record is missing.');
	const served = serve(head.size, audioContentType(key), head.httpEtag, rangeHeader);
	if (disposition) served.headers.set('Content-Disposition', disposition);
	if (served.status === 416) return new Response(null, { status: 416, headers: served.headers });
	const object = await files.get(key, served.range ? { range: served.range } : undefined);
	if (!object) throw new ApiError('not_found', 'The audio of this record is missing.');
	return new Response(object.body, { status: served.status, headers: served.headers });
}

/**
 * Streams a record's audio from R2, honouring a single byte Range so players can seek. An
 * interview whose interviewer's voice was recorded plays as one stereo WAV (respondent left,
 * interviewer right, time-aligned), built while it is sent; otherwise the conversation is the
 * respondent's recording as stored. `download` names the file to save.
 */
export async function audioResponse(
	files: R2Bucket,
	row: RecordRow,
	rangeHeader: string | null,
	options: { track?: AudioTrackChoice; download?: boolean } = {}
): Promise<Response> {
	const track = options.track ?? 'conversation';
	const disposition = (suffix: string, extension: string) =>
		options.download ? `attachment; filename="${`${row.title}-${suffix}`.replace(/[^\w.@-]+/g, '-')}.${extension}"` : null;
	const respondentExtension = row.audioKey?.split('.').pop()?.toLowerCase() ?? 'wav';
	if (track === 'respondent') return storedFileResponse(files, row.audioKey, rangeHeader, disposition('respondent', respondentExtension));
	const interviewer = await monoTrack(files, interviewerAudioKey(row));
	if (track === 'interviewer') return storedFileResponse(files, interviewer?.key ?? null, rangeHeader, disposition('interviewer', 'wav'));
	if (!interviewer) return storedFileResponse(files, row.audioKey, rangeHeader, disposition('conversation', respondentExtension));
	const respondent = await monoTrack(files, row.audioKey);
	const size = stereoSize(respondent, interviewer);
	const etag = `"stereo-${respondent?.dataBytes ?? 0}-${interviewer.dataBytes}"`;
	const served = serve(size, 'audio/wav', etag, rangeHeader);
	const saveAs = disposition('conversation', 'wav');
	if (saveAs) served.headers.set('Content-Disposition', saveAs);
	if (served.status === 416) return new Response(null, { status: 416, headers: served.headers });
	const body = stereoWavStream(files, respondent, interviewer, served.range ?? { offset: 0, length: size });
	return new Response(body, { status: served.status, headers: served.headers });
}
