import { z } from 'zod';

/** Response quality: the signals computed when a record is made, the flag and reasons drawn from them, and a researcher's override. */

export const QUALITY_FLAGS = ['ok', 'review', 'low_quality'] as const;
export const QualityFlag = z.enum(QUALITY_FLAGS);
export type QualityFlag = z.infer<typeof QualityFlag>;

/** What the records list filters by: a flag, or the records that were never assessed (made before quality existed). */
export const QualityFilter = z.enum([...QUALITY_FLAGS, 'not_assessed']);

export const QUALITY_REASON_CODES = [
	'non_answers',
	'short_answers',
	'answers_below_guide',
	'low_respondent_share',
	'duplicate_email',
	'duplicate_network',
	'speed_through',
	'language_mismatch',
	'text_not_checked',
	'speakers_unknown'
] as const;

/**
 * One reason behind a flag. `severity` is the flag it asks for (`info` changes nothing: it says what
 * could not be checked); `value` and `limit` are the measured figure and the threshold it crossed;
 * `relatedRecordId` is the earlier record of a duplicate; `language` the one detected.
 */
export const QualityReason = z.object({
	code: z.enum(QUALITY_REASON_CODES),
	severity: z.enum(['info', 'review', 'low_quality']),
	value: z.number().nullable().optional(),
	limit: z.number().nullable().optional(),
	relatedRecordId: z.string().nullable().optional(),
	language: z.string().nullable().optional()
});
export type QualityReason = z.infer<typeof QualityReason>;

/** The measured figures (null where a figure could not be measured, such as text shares of a record with no words). */
export const QualitySignals = z.object({
	respondentAnswers: z.number().int(),
	respondentWordShare: z.number().nullable(),
	medianAnswerWords: z.number().nullable(),
	nonAnswerShare: z.number().nullable(),
	answersBelowGuideShare: z.number().nullable(),
	durationShareOfPlan: z.number().nullable(),
	detectedLanguage: z.string().nullable(),
	expectedLanguage: z.string().nullable(),
	duplicateOfRecordId: z.string().nullable(),
	duplicateBy: z.enum(['email', 'network']).nullable(),
	/** False for transcribed recordings: one voice track, speakers not told apart. */
	speakersKnown: z.boolean()
});
export type QualitySignals = z.infer<typeof QualitySignals>;

export const QualityOverrideView = z.object({
	flag: QualityFlag,
	note: z.string(),
	by: z.object({ id: z.string().nullable(), name: z.string() }),
	at: z.string()
});

/**
 * A record's quality. `flag` is what counts (the override when there is one, else the computed
 * flag); null means the record was never assessed (made before quality flags, or still processing).
 */
export const RecordQuality = z.object({
	flag: QualityFlag.nullable(),
	computedFlag: QualityFlag.nullable(),
	reasons: z.array(QualityReason),
	signals: QualitySignals.nullable(),
	override: QualityOverrideView.nullable()
});
export type RecordQuality = z.infer<typeof RecordQuality>;

export const QualityEvent = z.object({
	action: z.enum(['override', 'clear']),
	flag: QualityFlag.nullable(),
	note: z.string(),
	by: z.object({ id: z.string().nullable(), name: z.string() }),
	at: z.string()
});
export type QualityEvent = z.infer<typeof QualityEvent>;

/** `PUT /api/records/:id/quality`: a flag (with an optional note) overrides the computed one; `flag: null` clears the override. */
export const SetRecordQuality = z.object({
	flag: QualityFlag.nullable(),
	note: z.string().trim().max(1000).optional()
});
export type SetRecordQuality = z.infer<typeof SetRecordQuality>;

/** Reports and metrics leave out low-quality records unless `includeLowQuality` is true. */
export const QualityToggleQuery = z.object({ includeLowQuality: z.enum(['true', 'false']).optional() });
export const QualityExclusion = z.object({ includeLowQuality: z.boolean(), excludedLowQuality: z.number().int() });
