import { z } from 'zod';
import { RecordRedaction } from './privacy';
import { RecordedAnswer } from './screeners';
import { QuestionCoverage } from './protocol';
import { QualityEvent, QualityFilter, RecordQuality } from './quality';

/** Records: completed interviews and uploaded transcripts or recordings. Shared by the worker and `web/`. */

export const RECORD_STATUSES = ['ready', 'processing', 'untranscribed', 'failed', 'empty'] as const;
export const RecordStatus = z.enum(RECORD_STATUSES);

export const TranscriptTurn = z.looseObject({
	id: z.string(),
	role: z.enum(['interviewer', 'respondent']),
	text: z.string(),
	final: z.boolean().optional(),
	at: z.number(),
	transcribed: z.boolean().optional(),
	startMs: z.number().nullable().optional(),
	endMs: z.number().nullable().optional(),
	speaker: z.string().optional()
});
export type TranscriptTurn = z.infer<typeof TranscriptTurn>;

/** The transcript document stored in R2 for every record. */
export const StoredTranscript = z.looseObject({
	interviewId: z.string().nullable().optional(),
	linkId: z.string().nullable().optional(),
	respondentEmail: z.string().nullable().optional(),
	startedAt: z.number(),
	endedAt: z.number().nullable().optional(),
	endReason: z.string().nullable().optional(),
	provider: z.string().nullable().optional(),
	turns: z.array(TranscriptTurn)
});
export type StoredTranscript = z.infer<typeof StoredTranscript>;

export const RecordSummary = z.object({
	id: z.string(),
	projectId: z.string(),
	source: z.enum(['interview', 'upload']),
	title: z.string(),
	respondentEmail: z.string().nullable(),
	linkId: z.string().nullable(),
	linkName: z.string().nullable(),
	linkKind: z.enum(['single', 'public', 'private']).nullable(),
	status: RecordStatus,
	durationMs: z.number().int(),
	wordCount: z.number().int(),
	turnCount: z.number().int(),
	hasAudio: z.boolean(),
	tags: z.array(z.string()),
	createdAt: z.string(),
	/** The quality flag with its reasons, and a researcher's override when there is one. */
	quality: RecordQuality
});
export type RecordSummary = z.infer<typeof RecordSummary>;

export const RecordDetail = RecordSummary.extend({
	notes: z.string(),
	interviewId: z.string().nullable(),
	consentAt: z.string().nullable(),
	startedAt: z.string().nullable(),
	endedAt: z.string().nullable(),
	endReason: z.string().nullable(),
	provider: z.string().nullable(),
	chargedTokens: z.number().int().nullable(),
	/** The recorded sides, in the stereo file's channel order (respondent left, interviewer right). */
	audioTracks: z.array(z.enum(['respondent', 'interviewer'])),
	/** Which redaction passes ran over the transcript and whether the original was kept; null for records stored before redaction. */
	redaction: RecordRedaction.nullable(),
	/** Whether the interviewer's voice is in the recording; in local mode the respondent's browser spoke it, so it is not. */
	interviewerVoice: z.enum(['recorded', 'spoken_in_browser', 'not_recorded']),
	/** Where each guide question stood when the interview ended (empty for uploads and interviews before the plan). */
	coverage: z.array(QuestionCoverage),
	/**
	 * The interview's counters: the provider's usage (tokens, audio seconds, sentences) and Parley's own,
	 * such as `parley.audio_frames_dropped` (respondent audio sent faster than real time) and `parley.audio_frames_dropped_upstream` (recorded, but dropped oldest-first while the provider was more than 2 s behind). Null for uploads.
	 */
	usage: z.record(z.string(), z.number()).nullable(),
	/** Who overrode or cleared the quality flag, when, and why; newest first. */
	qualityHistory: z.array(QualityEvent),
	/** The respondent's screener answers, as the questions read when they answered (empty without a screener). */
	screenerAnswers: z.array(RecordedAnswer)
});
export type RecordDetail = z.infer<typeof RecordDetail>;

export const RecordListQuery = z.object({
	q: z.string().max(200).optional(),
	linkId: z.string().max(64).optional(),
	linkName: z.string().max(200).optional(),
	status: RecordStatus.optional(),
	/** Empty interviews (started, nobody answered) are left out unless asked for, or unless `status=empty`. */
	includeEmpty: z.enum(['true', 'false']).optional(),
	from: z.iso.date().optional(),
	to: z.iso.date().optional(),
	/** Records whose flag (the override, else the computed one) is this, or that were never assessed. */
	quality: QualityFilter.optional()
});
export type RecordListQuery = z.infer<typeof RecordListQuery>;

export const Tag = z.string().trim().min(1).max(40);
export const UpdateRecord = z
	.object({
		notes: z.string().max(20_000).optional(),
		tags: z.array(Tag).max(30).optional(),
		title: z.string().trim().min(1).max(200).optional()
	})
	.refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one of notes, tags, title.' });

/** `track`: both sides as one stereo file (default), or one side; `download` (any value) asks the browser to save it. */
export const AudioQuery = z.object({
	track: z.enum(['conversation', 'respondent', 'interviewer']).optional(),
	download: z.string().max(10).optional()
});

export const TRANSCRIPT_FORMATS = ['json', 'txt', 'md', 'vtt'] as const;
/** `original=true` asks for the unredacted original, kept only where the project keeps originals; owners and admins only. */
const OriginalFlag = z.enum(['true', 'false']).optional();
export const TranscriptQuery = z.object({ format: z.enum(TRANSCRIPT_FORMATS).default('json'), original: OriginalFlag });
export const ExportQuery = z.object({ format: z.enum(['csv', 'zip']).default('csv'), original: OriginalFlag });

export { UPLOAD_LIMITS } from './records-limits';
