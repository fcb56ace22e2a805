import { audioKey, transcriptKey } from '../worker/lib/storage-keys';
import { WAV_HEADER_BYTES, wavHeader } from '../worker/lib/wav';
import { toWireTurn } from './conversation';
import type { AudioTrack, InterviewStore, SessionState } from './interview-store';

/** The transcript as R2 keeps it: the same turns the browser was sent, in spoken order. */
export async function archiveTranscript(env: Env, store: InterviewStore, state: SessionState): Promise<string> {
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
	await env.FILES.put(key, JSON.stringify(body), { httpMetadata: { contentType: 'application/json' } });
	return key;
}

/**
 * Streams one audio track from Durable Object storage into an R2 WAV file, filling the gaps
 * between chunks with silence so offsets match the turns. Null when the track has no audio.
 */
export async function archiveAudio(env: Env, store: InterviewStore, state: SessionState, track: AudioTrack): Promise<string | null> {
	const dataBytes = store.audioEndBytes(track);
	if (dataBytes === 0) return null;
	const key = audioKey(state.workspaceId, state.projectId, state.interviewId, track);
	const stream = new FixedLengthStream(WAV_HEADER_BYTES + dataBytes);
	const upload = env.FILES.put(key, stream.readable, { httpMetadata: { contentType: 'audio/wav' } });
	const writer = stream.writable.getWriter();
	await writer.write(wavHeader(dataBytes));
	let written = 0;
	for (const chunk of store.audioChunks(track)) {
		if (chunk.offsetBytes > written) {
			await writer.write(new Uint8Array(chunk.offsetBytes - written));
			written = chunk.offsetBytes;
		}
		const bytes = new Uint8Array(chunk.pcm);
		const skip = Math.max(0, written - chunk.offsetBytes);
		if (skip < bytes.byteLength) {
			await writer.write(bytes.subarray(skip));
			written += bytes.byteLength - skip;
		}
	}
	await writer.close();
	await upload;
	return key;
}
