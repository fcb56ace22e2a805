import type { RecordDetail } from '../../../contracts/records';
import { UPLOAD_LIMITS } from '../../../contracts/records';
import type { Database } from '../../../db/client';
import { record } from '../../../db/schema';
import { newId } from '../../../lib/crypto';
import { ApiError } from '../../../lib/errors';
import type { Principal } from '../../../lib/principal';
import { projectPrefix } from '../../../lib/storage-keys';
import { parseWav } from '../../../lib/wav';
import { enqueueJob } from '../../../jobs/queue';
import { findProjectRow } from '../../projects';
import { getRecord } from '../records';
import { parseTranscriptText, type TextFormat } from '../transcripts/parse';
import { buildTranscript, countWords } from './transcript';
import { workspaceProvider } from '../../interviewers';

/** Uploaded transcripts and recordings become records. Every check runs before anything is stored. */

export const uploadPrefix = (workspaceId: string, projectId: string, recordId: string) =>
	`${projectPrefix(workspaceId, projectId)}uploads/${recordId}/`;

type AudioFormat = (typeof UPLOAD_LIMITS.audioExtensions)[number];

const extensionOf = (name: string) => (name.includes('.') ? name.split('.').pop()!.toLowerCase() : '');
const titleOf = (name: string) =>
	name
		.replace(/\.[^.]+$/, '')
		.replace(/[_]+/g, ' ')
		.trim()
		.slice(0, 200) || 'Uploaded record';

const startsWith = (bytes: Uint8Array, ascii: string, at = 0) =>
	[...ascii].every((char, index) => bytes[at + index] === char.charCodeAt(0));

/** Checks the first bytes against what the extension claims. */
function looksLikeAudio(bytes: Uint8Array, format: AudioFormat): boolean {
	switch (format) {
		case 'wav':
			return parseWav(bytes.subarray(0, Math.min(bytes.byteLength, 4096))) !== null;
		case 'mp3':
			return startsWith(bytes, 'ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0);
		case 'm4a':
			return startsWith(bytes, 'ftyp', 4);
		case 'webm':
			return bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
		case 'ogg':
			return startsWith(bytes, 'OggS');
	}
}

function wavDurationMs(bytes: Uint8Array): number {
	const info = parseWav(bytes.subarray(0, Math.min(bytes.byteLength, 4096)));
	if (!info) return 0;
	const bytesPerSecond = info.sampleRate * info.channels * (info.bitsPerSample / 8);
	const dataBytes = Math.max(0, bytes.byteLength - info.dataOffset);
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

function checkSize(file: File, max: number, kind: string) {
	if (file.size === 0) throw new ApiError('invalid_file', 'The file is empty.');
	if (file.size > max)
		throw new ApiError('payload_too_large', `${kind} files are at most ${Math.round(max / 1024 / 1024)} MB.`, { maxBytes: max });
}

export type UploadEnv = Pick<Env, 'FILES' | 'JOBS' | 'AI_PROVIDER' | 'OPENAI_API_KEY' | 'PUBLIC_BASE_URL'>;

export async function uploadRecord(
	env: UploadEnv,
	db: Database,
	principal: Principal,
	projectId: string,
	input: { file: unknown; title?: string }
): Promise<RecordDetail> {
	await findProjectRow(db, principal, projectId);
	const file = input.file;
	if (!(file instanceof File)) throw new ApiError('invalid_request', 'Send the file as the multipart field "file".');
	const extension = extensionOf(file.name);
	const isText = (UPLOAD_LIMITS.textExtensions as readonly string[]).includes(extension);
	const isAudio = (UPLOAD_LIMITS.audioExtensions as readonly string[]).includes(extension);
	if (!isText && !isAudio) {
		const accepted = [...UPLOAD_LIMITS.textExtensions, ...UPLOAD_LIMITS.audioExtensions].map((ext) => `.${ext}`).join(', ');
		throw new ApiError('unsupported_media_type', `This file type is not accepted. Upload one of: ${accepted}.`);
	}
	checkSize(file, isText ? UPLOAD_LIMITS.textBytes : UPLOAD_LIMITS.audioBytes, isText ? 'Transcript' : 'Audio');
	const bytes = new Uint8Array(await file.arrayBuffer());
	const title = input.title?.trim().slice(0, 200) || titleOf(file.name);
	const recordId = newId();
	const prefix = uploadPrefix(principal.workspaceId, projectId, recordId);
	const now = new Date();

	if (isText) {
		const turns = parseTranscriptText(decodeText(bytes), extension as TextFormat);
		const transcript = buildTranscript(now.getTime(), turns);
		const key = `${prefix}transcript.json`;
		const last = transcript.turns.at(-1);
		await env.FILES.put(key, JSON.stringify(transcript), { httpMetadata: { contentType: 'application/json' } });
		await insertRow(db, env.FILES, [key], {
			id: recordId,
			workspaceId: principal.workspaceId,
			projectId,
			source: 'upload',
			title,
			status: 'ready',
			durationMs: last?.endMs ?? last?.startMs ?? 0,
			wordCount: transcript.turns.reduce((sum, turn) => sum + countWords(turn.text), 0),
			turnCount: transcript.turns.length,
			transcriptKey: key,
			audioKey: null,
			createdAt: now
		});
		return getRecord(db, principal, recordId);
	}

	if (!looksLikeAudio(bytes, extension as AudioFormat))
		throw new ApiError('invalid_file', `The file is not a valid .${extension} recording.`);
	const audioKey = `${prefix}audio.${extension}`;
	const transcribes = (await workspaceProvider(env, db, principal.workspaceId)) !== 'local';
	await env.FILES.put(audioKey, bytes, { httpMetadata: { contentType: file.type || 'application/octet-stream' } });
	await insertRow(db, env.FILES, [audioKey], {
		id: recordId,
		workspaceId: principal.workspaceId,
		projectId,
		source: 'upload',
		title,
		status: transcribes ? 'processing' : 'untranscribed',
		durationMs: extension === 'wav' ? wavDurationMs(bytes) : 0,
		wordCount: 0,
		turnCount: 0,
		transcriptKey: null,
		audioKey,
		createdAt: now
	});
	if (transcribes) await enqueueJob(env, { type: 'record.transcribe', workspaceId: principal.workspaceId, recordId });
	return getRecord(db, principal, recordId);
}

async function insertRow(db: Database, files: R2Bucket, keys: string[], values: typeof record.$inferInsert) {
	try {
		await db.insert(record).values(values);
	} catch (error) {
		await files.delete(keys);
		throw error;
	}
}
