import { audioKey, transcriptKey } from '../worker/lib/storage-keys';
import { protectTranscript, type Redaction } from '../worker/services/privacy';
import { WAV_HEADER_BYTES, wavHeader } from '../worker/lib/wav';
import { toWireTurn } from './conversation';
import { privacyOf, type AudioTrack, type InterviewStore, type SessionState } from './interview-store';

/**
 * The transcript as R2 keeps it: the same turns the browser was sent, in spoken order, redacted
 * before they are written (invariant 21), with the sealed original beside them when the project keeps it.
 */
export async function archiveTranscript(
	env: Env,
	store: InterviewStore,
	state: SessionState
): Promise<{ key: string; redaction: Redaction }> {
	const key = transcriptKey(state.workspaceId, state.projectId, state.interviewId);
	const body = {
		interviewId: state.interviewId,
		linkId: state.linkId,
		respondentEmail: state.email,
		startedAt: state.startedAt,
		endedAt: state.endedAt,
		endReason: state.endReason,
		provider: state.provider,
		turns: store.turns().map((turn) => ({ ...toWireTurn(turn), startMs: turn.startMs, endMs: turn.endMs }))
	};
	const { transcript, redaction } = await protectTranscript(env, {
		workspaceId: state.workspaceId,
		transcriptKey: key,
		transcript: body,
		settings: privacyOf(state),
		provider: state.provider
	});
	await env.FILES.put(key, JSON.stringify(transcript), { httpMetadata: { contentType: 'application/json' } });
	return { key, redaction };
}

/** The WAV bytes of a track, piece by piece: header, then chunks with silence filling the gaps. */
function* wavPieces(store: InterviewStore, track: AudioTrack, dataBytes: number): Generator<Uint8Array> {
	yield wavHeader(dataBytes);
	let written = 0;
	for (const chunk of store.audioChunks(track)) {
		if (chunk.offsetBytes > written) {
			yield new Uint8Array(chunk.offsetBytes - written);
			written = chunk.offsetBytes;
		}
		const bytes = new Uint8Array(chunk.pcm);
		const skip = Math.max(0, written - chunk.offsetBytes);
		if (skip < bytes.byteLength) {
			yield bytes.subarray(skip);
			written += bytes.byteLength - skip;
		}
	}
}

const PART_BYTES = 8 * 1024 * 1024;

/** Groups the pieces into parts of PART_BYTES (the last may be shorter), for R2 multipart upload. */
function* parts(pieces: Iterable<Uint8Array>): Generator<Uint8Array> {
	let part = new Uint8Array(PART_BYTES);
	let filled = 0;
	for (let piece of pieces) {
		while (piece.byteLength > 0) {
			const take = Math.min(piece.byteLength, PART_BYTES - filled);
			part.set(piece.subarray(0, take), filled);
			filled += take;
			piece = piece.subarray(take);
			if (filled === PART_BYTES) {
				yield part;
				part = new Uint8Array(PART_BYTES);
				filled = 0;
			}
		}
	}
	if (filled > 0) yield part.subarray(0, filled);
}

/**
 * Writes one audio track from Durable Object storage to R2 as a WAV file, 8 MB at a time (a long
 * interview never sits in memory whole). Null when the track has no audio.
 */
export async function archiveAudio(env: Env, store: InterviewStore, state: SessionState, track: AudioTrack): Promise<string | null> {
	const dataBytes = store.audioEndBytes(track);
	if (dataBytes === 0) return null;
	const key = audioKey(state.workspaceId, state.projectId, state.interviewId, track);
	const options = { httpMetadata: { contentType: 'audio/wav' } };
	const chunks = parts(wavPieces(store, track, dataBytes));
	if (WAV_HEADER_BYTES + dataBytes <= PART_BYTES) {
		await env.FILES.put(key, chunks.next().value ?? new Uint8Array(0), options);
		return key;
	}
	const upload = await env.FILES.createMultipartUpload(key, options);
	try {
		const uploaded: R2UploadedPart[] = [];
		for (const part of chunks) uploaded.push(await upload.uploadPart(uploaded.length + 1, part));
		await upload.complete(uploaded);
	} catch (error) {
		await upload.abort();
		throw error;
	}
	return key;
}
