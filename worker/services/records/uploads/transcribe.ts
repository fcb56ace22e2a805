import { and, eq } from 'drizzle-orm';
import { createDatabase } from '../../../db/client';
import { record } from '../../../db/schema';
import { logError, logInfo } from '../../../lib/log';
import { openAiBaseUrl } from '../../../ai/openai-rest';
import type { ParsedTurn } from '../transcripts/parse';
import { buildTranscript, countWords } from './transcript';
import { workspaceProvider } from '../../interviewers';

/** The `record.transcribe` job: speech-to-text of an uploaded recording through the configured provider. */

type Segment = { start?: number; end?: number; text?: string };
type SttResult = { text?: string; segments?: Segment[] };

export const WORKERS_AI_STT_MODEL = '@cf/openai/whisper-large-v3-turbo';

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
	return btoa(binary);
}

async function transcribeWithOpenAi(env: Env, bytes: Uint8Array, name: string): Promise<SttResult> {
	const form = new FormData();
	form.append('file', new File([bytes], name));
	form.append('model', 'whisper-1');
	form.append('response_format', 'verbose_json');
	const response = await fetch(`${openAiBaseUrl(env)}/audio/transcriptions`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${env.OPENAI_API_KEY}` },
		body: form
	});
	if (!response.ok) throw new Error(`OpenAI transcription answered ${response.status}`);
	return (await response.json()) as SttResult;
}

async function transcribeWithWorkersAi(env: Env, bytes: Uint8Array): Promise<SttResult> {
	const run = env.AI.run.bind(env.AI) as (model: string, input: unknown) => Promise<unknown>;
	return (await run(WORKERS_AI_STT_MODEL, { audio: toBase64(bytes) })) as SttResult;
}

function segmentsToTurns(result: SttResult): ParsedTurn[] {
	const segments = (result.segments ?? []).filter((segment) => segment.text?.trim());
	if (segments.length === 0) return result.text?.trim() ? [{ role: 'respondent', text: result.text.trim() }] : [];
	return segments.map((segment) => ({
		role: 'respondent' as const,
		text: segment.text!.trim(),
		startMs: Math.round((segment.start ?? 0) * 1000),
		endMs: Math.round((segment.end ?? segment.start ?? 0) * 1000)
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
	const object = await env.FILES.get(row.audioKey);
	if (!object) {
		await db.update(record).set({ status: 'failed' }).where(where);
		return;
	}
	const bytes = new Uint8Array(await object.arrayBuffer());
	try {
		const result =
			provider === 'openai'
				? await transcribeWithOpenAi(env, bytes, row.audioKey.split('/').pop()!)
				: await transcribeWithWorkersAi(env, bytes);
		const turns = segmentsToTurns(result);
		const transcript = buildTranscript(row.createdAt.getTime(), turns);
		const key = row.audioKey.replace(/audio\.[a-z0-9]+$/, 'transcript.json');
		await env.FILES.put(key, JSON.stringify(transcript), { httpMetadata: { contentType: 'application/json' } });
		const last = transcript.turns.at(-1);
		await db
			.update(record)
			.set({
				status: turns.length > 0 ? 'ready' : 'untranscribed',
				transcriptKey: key,
				turnCount: transcript.turns.length,
				wordCount: transcript.turns.reduce((sum, turn) => sum + countWords(turn.text), 0),
				durationMs: Math.max(row.durationMs, last?.endMs ?? 0)
			})
			.where(where);
		logInfo('record.transcribed', { recordId: row.id, provider, turns: turns.length });
	} catch (error) {
		logError('record.transcribe_failed', error, { recordId: row.id, provider });
		await db.update(record).set({ status: 'failed' }).where(where);
	}
}
