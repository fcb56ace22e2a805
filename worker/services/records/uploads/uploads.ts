import type { RecordDetail } from '../../../contracts/records';
import { UPLOAD_LIMITS } from '../../../contracts/records';
import type { Database } from '../../../db/client';
import { record } from '../../../db/schema';
import { newId } from '../../../lib/crypto';
import { ApiError } from '../../../lib/errors';
import type { Principal } from '../../../lib/principal';
import { projectPrefix } from '../../../lib/storage-keys';
import { parseWav } from '../../../lib/wav';
import { notifyRecordSettled } from '../../webhooks';
import { projectPrivacy, protectTranscript } from '../../privacy';
import { enqueueJob } from '../../../jobs/queue';
import { findProjectRow } from '../../projects';
import { getRecord } from '../records';
import { parseTranscriptText, type TextFormat } from '../transcripts/parse';
import { buildTranscript, countWords } from './transcript';
import { qualityColumns } from '../quality';
import { workspaceProvider } from '../../interviewers';
import type { ProviderName } from '../../../ai/capabilities';
import { audioContentType } from '../audio';
import { audioLimit, type AudioFormat } from './limits';
import { MultipartReader, multipartBoundary, type PartHead } from './multipart';
import { storeStream } from './store-stream';

/**
 * Uploaded transcripts and recordings become records. The form is read as it streams in: a
 * recording goes to R2 piece by piece, after its name and first bytes are checked, and is removed
 * again if anything later in the request fails, so a refused upload leaves nothing behind.
 */

export const uploadPrefix = (workspaceId: string, projectId: string, recordId: string) =>
	`${projectPrefix(workspaceId, projectId)}uploads/${recordId}/`;

const extensionOf = (name: string) => (name.includes('.') ? name.split('.').pop()!.toLowerCase() : '');
const titleOf = (name: string) =>
	name
		.replace(/\.[^.]+$/, '')
		.replace(/[_]+/g, ' ')
		.trim()
		.slice(0, 200) || 'Uploaded record';

const startsWith = (bytes: Uint8Array, ascii: string, at = 0) =>
	[...ascii].every((char, index) => bytes[at + index] === char.charCodeAt(0));

/** Enough of a recording's start to check its header against what the extension claims. */
const HEAD_BYTES = 4096;
/** Multipart room for the largest accepted recording. */
export const UPLOAD_MAX_BODY_BYTES = UPLOAD_LIMITS.audioBytes + 1024 * 1024;
const MAX_TITLE_BYTES = 4096;

/** Checks the first bytes against what the extension claims. */
function looksLikeAudio(head: Uint8Array, format: AudioFormat): boolean {
	switch (format) {
		case 'wav':
			return parseWav(head) !== null;
		case 'mp3':
			return startsWith(head, 'ID3') || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0);
		case 'm4a':
			return startsWith(head, 'ftyp', 4);
		case 'webm':
			return head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3;
		case 'ogg':
			return startsWith(head, 'OggS');
	}
}

function wavDurationMs(head: Uint8Array, size: number): number {
	const info = parseWav(head);
	if (!info) return 0;
	const bytesPerSecond = info.sampleRate * info.channels * (info.bitsPerSample / 8);
	const dataBytes = Math.max(0, size - info.dataOffset);
	return bytesPerSecond > 0 ? Math.round((dataBytes / bytesPerSecond) * 1000) : 0;
}

function decodeText(bytes: Uint8Array): string {
	if (bytes.includes(0)) throw new ApiError('invalid_file', 'The file is not text: it contains binary data.');
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		throw new ApiError('invalid_file', 'The file is not valid UTF-8 text.');
	}
}

const tooLarge = (max: number, message: string) => () => new ApiError('payload_too_large', message, { maxBytes: max });
const MB = (bytes: number) => Math.round(bytes / 1024 / 1024);
const empty = () => new ApiError('invalid_file', 'The file is empty.');

/** The first bytes of a part's body (at least HEAD_BYTES unless it is shorter), and the rest still to come. */
async function readHead(pieces: AsyncIterator<Uint8Array>): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
	const taken: Uint8Array[] = [];
	let size = 0;
	while (size < HEAD_BYTES) {
		const next = await pieces.next();
		if (next.done) break;
		taken.push(next.value);
		size += next.value.length;
	}
	const head = new Uint8Array(size);
	taken.reduce((offset, piece) => (head.set(piece, offset), offset + piece.length), 0);
	async function* rest() {
		yield head;
		for (let next = await pieces.next(); !next.done; next = await pieces.next()) yield next.value;
	}
	return { head, rest: rest() };
}

export type UploadEnv = Pick<
	Env,
	'DB' | 'FILES' | 'JOBS' | 'AI' | 'AI_PROVIDER' | 'OPENAI_API_KEY' | 'PUBLIC_BASE_URL' | 'BETTER_AUTH_SECRET'
>;
/** The request's body and Content-Type: the multipart form is read as it streams in. */
export type UploadBody = { stream: ReadableStream<Uint8Array> | null; contentType: string };

type Received =
	| { kind: 'text'; extension: TextFormat; name: string; bytes: Uint8Array }
	| { kind: 'audio'; extension: AudioFormat; name: string; key: string; size: number; durationMs: number };

/** Checks the file part by its name and first bytes, then keeps a transcript in memory or streams a recording to R2. */
async function receiveFile(
	env: UploadEnv,
	provider: ProviderName,
	prefix: string,
	part: PartHead & { filename: string },
	reader: MultipartReader
): Promise<Received> {
	const extension = extensionOf(part.filename);
	const isText = (UPLOAD_LIMITS.textExtensions as readonly string[]).includes(extension);
	const isAudio = (UPLOAD_LIMITS.audioExtensions as readonly string[]).includes(extension);
	if (!isText && !isAudio) {
		const accepted = [...UPLOAD_LIMITS.textExtensions, ...UPLOAD_LIMITS.audioExtensions].map((ext) => `.${ext}`).join(', ');
		throw new ApiError('unsupported_media_type', `This file type is not accepted. Upload one of: ${accepted}.`);
	}
	if (isText) {
		const max = UPLOAD_LIMITS.textBytes;
		const bytes = await reader.bytes(max, tooLarge(max, `Transcript files are at most ${MB(max)} MB.`));
		if (bytes.length === 0) throw empty();
		return { kind: 'text', extension: extension as TextFormat, name: part.filename, bytes };
	}
	const format = extension as AudioFormat;
	const { head, rest } = await readHead(reader.body()[Symbol.asyncIterator]());
	if (head.length === 0) throw empty();
	if (!looksLikeAudio(head, format)) throw new ApiError('invalid_file', `The file is not a valid .${format} recording.`);
	const limit = audioLimit(format, provider);
	const key = `${prefix}audio.${format}`;
	const size = await storeStream(env.FILES, key, rest, {
		contentType: part.contentType && part.contentType !== 'application/octet-stream' ? part.contentType : audioContentType(key),
		maxBytes: limit.bytes,
		tooLarge: tooLarge(limit.bytes, limit.message)
	});
	return { kind: 'audio', extension: format, name: part.filename, key, size, durationMs: format === 'wav' ? wavDurationMs(head, size) : 0 };
}

export async function uploadRecord(
	env: UploadEnv,
	db: Database,
	principal: Principal,
	projectId: string,
	body: UploadBody
): Promise<RecordDetail> {
	await findProjectRow(db, principal, projectId);
	const boundary = multipartBoundary(body.contentType);
	if (!boundary || !body.stream) throw new ApiError('invalid_request', 'Send the upload as multipart/form-data with a "file" field.');
	const reader = new MultipartReader(
		body.stream,
		boundary,
		UPLOAD_MAX_BODY_BYTES,
		tooLarge(UPLOAD_MAX_BODY_BYTES, `The request body is larger than ${UPLOAD_MAX_BODY_BYTES} bytes.`)
	);
	const provider = await workspaceProvider(env, db, principal.workspaceId);
	const recordId = newId();
	const prefix = uploadPrefix(principal.workspaceId, projectId, recordId);
	let received: Received | null = null;
	let title: string | undefined;
	try {
		for (let part = await reader.next(); part; part = await reader.next()) {
			if (part.name === 'title' && part.filename === null)
				title = await reader.text(MAX_TITLE_BYTES, () => new ApiError('invalid_request', 'The title is at most 200 characters.'));
			else if (part.name === 'file' && part.filename !== null && !received)
				received = await receiveFile(env, provider, prefix, { ...part, filename: part.filename }, reader);
		}
	} catch (error) {
		await reader.cancel();
		if (received?.kind === 'audio') await env.FILES.delete(received.key);
		throw error;
	}
	if (!received) throw new ApiError('invalid_request', 'Send the file as the multipart field "file".');
	const chosenTitle = title?.trim().slice(0, 200) || titleOf(received.name);
	const now = new Date();

	if (received.kind === 'text') {
		const turns = parseTranscriptText(decodeText(received.bytes), received.extension);
		const key = `${prefix}transcript.json`;
		const { transcript, redaction } = await protectTranscript(env, {
			workspaceId: principal.workspaceId,
			transcriptKey: key,
			transcript: buildTranscript(now.getTime(), turns),
			settings: await projectPrivacy(db, projectId),
			provider
		});
		const last = transcript.turns.at(-1);
		await env.FILES.put(key, JSON.stringify(transcript), { httpMetadata: { contentType: 'application/json' } });
		await insertRow(db, env.FILES, [key, ...(redaction.originalKey ? [redaction.originalKey] : [])], {
			id: recordId,
			workspaceId: principal.workspaceId,
			projectId,
			source: 'upload',
			title: chosenTitle,
			status: 'ready',
			durationMs: last?.endMs ?? last?.startMs ?? 0,
			wordCount: transcript.turns.reduce((sum, turn) => sum + countWords(turn.text), 0),
			turnCount: transcript.turns.length,
			transcriptKey: key,
			audioKey: null,
			redaction,
			createdAt: now,
			...qualityColumns({ turns: transcript.turns })
		});
		await notifyRecordSettled(env, principal.workspaceId, recordId);
		return getRecord(db, env.FILES, principal, recordId);
	}

	const transcribes = provider !== 'local';
	await insertRow(db, env.FILES, [received.key], {
		id: recordId,
		workspaceId: principal.workspaceId,
		projectId,
		source: 'upload',
		title: chosenTitle,
		status: transcribes ? 'processing' : 'untranscribed',
		durationMs: received.durationMs,
		wordCount: 0,
		turnCount: 0,
		transcriptKey: null,
		audioKey: received.key,
		createdAt: now
	});
	if (transcribes) await enqueueJob(env, { type: 'record.transcribe', workspaceId: principal.workspaceId, recordId });
	return getRecord(db, env.FILES, principal, recordId);
}

async function insertRow(db: Database, files: R2Bucket, keys: string[], values: typeof record.$inferInsert) {
	try {
		await db.insert(record).values(values);
	} catch (error) {
		await files.delete(keys);
		throw error;
	}
}
