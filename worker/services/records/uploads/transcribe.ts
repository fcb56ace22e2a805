import { and, eq } from 'drizzle-orm';
import { createDatabase } from '../../../db/client';
import { record } from '../../../db/schema';
import { logError, logInfo } from '../../../lib/log';
import type { ParsedTurn } from '../transcripts/parse';
import { buildTranscript, countWords } from './transcript';
import { qualityColumns } from '../quality';
import { workspaceProvider } from '../../interviewers';
import { notifyRecordSettled } from '../../webhooks';
import { projectPrivacy, protectTranscript } from '../../privacy';
import { audioChunks } from './chunks/plan';
import { r2Source } from './chunks/source';
import type { AudioFormat } from './limits';
import { transcriberFor, type SttResult } from './stt';

/**
 * The `record.transcribe` job: speech-to-text of an uploaded recording through the configured
 * provider. The recording is read from R2 a piece at a time (see chunks/), each piece is
 * transcribed in order, and its segments are moved to where the piece sits in the whole.
 */

/** How much of the previous piece's text goes with the next one as context: whisper reads at most 224 tokens of it. */
const CONTEXT_CHARS = 400;

function segmentsToTurns(result: SttResult, offsetMs: number): ParsedTurn[] {
	const segments = (result.segments ?? []).filter((segment) => segment.text?.trim());
	if (segments.length === 0)
		return result.text?.trim() ? [{ role: 'respondent', text: result.text.trim(), startMs: Math.round(offsetMs) }] : [];
	return segments.map((segment) => ({
		role: 'respondent' as const,
		text: segment.text!.trim(),
		startMs: Math.round(offsetMs + (segment.start ?? 0) * 1000),
		endMs: Math.round(offsetMs + (segment.end ?? segment.start ?? 0) * 1000)
	}));
}

export async function transcribeUpload(env: Env, job: { workspaceId: string; recordId: string }): Promise<void> {
	const db = createDatabase(env.DB);
	const row = await db.query.record.findFirst({ where: and(eq(record.id, job.recordId), eq(record.workspaceId, job.workspaceId)) });
	if (!row || row.status !== 'processing' || !row.audioKey) return;
	const provider = await workspaceProvider(env, db, job.workspaceId);
	const where = and(eq(record.id, row.id), eq(record.workspaceId, job.workspaceId));
	if (provider === 'local') {
		await db.update(record).set({ status: 'untranscribed' }).where(where);
		return;
	}
	const head = await env.FILES.head(row.audioKey);
	if (!head) {
		await db.update(record).set({ status: 'failed' }).where(where);
		return;
	}
	const format = row.audioKey.split('.').pop() as AudioFormat;
	const name = row.audioKey.split('/').at(-2) ?? 'recording';
	let pieces = 0;
	try {
		const transcribe = await transcriberFor(env, provider);
		const turns: ParsedTurn[] = [];
		let context = '';
		let audioMs = 0;
		for await (const chunk of audioChunks(r2Source(env.FILES, row.audioKey, head.size), format, provider, name)) {
			const result = await transcribe(chunk, context);
			turns.push(...segmentsToTurns(result, chunk.offsetMs));
			context = (result.text ?? '').trim().slice(-CONTEXT_CHARS);
			audioMs = chunk.offsetMs + (chunk.durationMs ?? 0);
			pieces += 1;
		}
		const key = row.audioKey.replace(/audio\.[a-z0-9]+$/, 'transcript.json');
		// Redacted before it reaches R2 (invariant 21): the words are only ever stored as the project's setting allows.
		const { transcript, redaction } = await protectTranscript(env, {
			workspaceId: row.workspaceId,
			transcriptKey: key,
			transcript: buildTranscript(row.createdAt.getTime(), turns),
			settings: await projectPrivacy(db, row.projectId),
			provider
		});
		await env.FILES.put(key, JSON.stringify(transcript), { httpMetadata: { contentType: 'application/json' } });
		const last = transcript.turns.at(-1);
		await db
			.update(record)
			.set({
				status: turns.length > 0 ? 'ready' : 'untranscribed',
				transcriptKey: key,
				redaction,
				turnCount: transcript.turns.length,
				wordCount: transcript.turns.reduce((sum, turn) => sum + countWords(turn.text), 0),
				durationMs: Math.round(Math.max(row.durationMs, last?.endMs ?? 0, audioMs)),
				...(turns.length > 0 ? qualityColumns({ turns: transcript.turns, speakersKnown: false }) : {})
			})
			.where(where);
		logInfo('record.transcribed', { recordId: row.id, provider, pieces, turns: turns.length });
		await notifyRecordSettled(env, row.workspaceId, row.id);
	} catch (error) {
		logError('record.transcribe_failed', error, { recordId: row.id, provider, pieces });
		await db.update(record).set({ status: 'failed' }).where(where);
	}
}
