import { z } from 'zod';

import { SCREENER_LIMITS } from './limits';

export { SCREENER_LIMITS };

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Ids are 1–40 letters, digits, dashes or underscores.');
/** The researcher's words in English and Russian; the respondent reads the interview's language (English when Russian is empty). */
export const LocalText = z.object({
	en: z.string().trim().min(1, 'Write the English text.').max(SCREENER_LIMITS.textChars),
	ru: z.string().trim().max(SCREENER_LIMITS.textChars).default('')
});
export type LocalText = z.infer<typeof LocalText>;

export const ScreenerOption = z.object({ id: Id, text: LocalText, qualifies: z.boolean() });
export const NumberRange = z
	.object({ min: z.number().finite(), max: z.number().finite() })
	.refine((range) => range.min <= range.max, 'A range starts at or below where it ends.');
export type NumberRange = z.infer<typeof NumberRange>;

const ChoiceQuestion = z.object({
	id: Id,
	kind: z.enum(['single', 'multiple']),
	text: LocalText,
	options: z
		.array(ScreenerOption)
		.min(2, 'A choice question needs at least two options.')
		.max(SCREENER_LIMITS.options)
		.refine((options) => options.some((option) => option.qualifies), 'At least one option must qualify.')
		.refine((options) => new Set(options.map((option) => option.id)).size === options.length, 'Option ids are unique.')
});
const NumberQuestion = z.object({
	id: Id,
	kind: z.literal('number'),
	text: LocalText,
	/** Answers inside any of these ranges (inclusive) qualify; any other number disqualifies. */
	ranges: z.array(NumberRange).min(1, 'A number question needs at least one qualifying range.').max(SCREENER_LIMITS.ranges)
});
export const ScreenerQuestion = z.discriminatedUnion('kind', [ChoiceQuestion, NumberQuestion]);
export type ScreenerQuestion = z.infer<typeof ScreenerQuestion>;

export const Screener = z.object({
	questions: z
		.array(ScreenerQuestion)
		.max(SCREENER_LIMITS.questions, `At most ${SCREENER_LIMITS.questions} questions.`)
		.refine((questions) => new Set(questions.map((question) => question.id)).size === questions.length, 'Question ids are unique.')
});
export type Screener = z.infer<typeof Screener>;

/** What the respondent sees: the questions and options, never which ones qualify. */
export const PublicScreenerQuestion = z.object({
	id: z.string(),
	kind: z.enum(['single', 'multiple', 'number']),
	text: LocalText,
	options: z.array(z.object({ id: z.string(), text: LocalText }))
});
export type PublicScreenerQuestion = z.infer<typeof PublicScreenerQuestion>;

/** A respondent's answers, sent with the join: option ids for a choice question, a value for a number. */
export const ScreenerAnswer = z.object({
	questionId: z.string().max(40),
	optionIds: z.array(z.string().max(40)).max(SCREENER_LIMITS.options).optional(),
	value: z.number().finite().optional()
});
export const ScreenerAnswers = z.array(ScreenerAnswer).max(SCREENER_LIMITS.questions);
export type ScreenerAnswers = z.infer<typeof ScreenerAnswers>;

/** An answer as the interview keeps it: the question's and options' words when the respondent answered. */
export const RecordedAnswer = z.object({
	questionId: z.string(),
	question: LocalText,
	answers: z.array(LocalText),
	value: z.number().nullable()
});
export type RecordedAnswer = z.infer<typeof RecordedAnswer>;

export const QuotaInput = z
	.object({
		/** The link it caps, or null for every link of the project together. */
		linkId: z.string().max(64).nullable(),
		questionId: Id,
		/** A choice question's option, or null for a number question's range. */
		optionId: Id.nullable(),
		min: z.number().finite().nullable(),
		max: z.number().finite().nullable(),
		cap: z
			.number()
			.int('A quota is a whole number of respondents.')
			.min(1, 'A quota admits at least 1 respondent.')
			.max(SCREENER_LIMITS.maxCap)
	})
	.refine((quota) => quota.min === null || quota.max === null || quota.min <= quota.max, 'A range starts at or below where it ends.');
export const Quotas = z.object({ quotas: z.array(QuotaInput).max(SCREENER_LIMITS.quotas, `At most ${SCREENER_LIMITS.quotas} quotas.`) });
export type Quotas = z.infer<typeof Quotas>;

export const QuotaFill = z.object({
	id: z.string(),
	linkId: z.string().nullable(),
	questionId: z.string(),
	optionId: z.string().nullable(),
	min: z.number().nullable(),
	max: z.number().nullable(),
	cap: z.number().int(),
	/** Admitted interviews in this segment (an empty interview gives its slot back, as it gives back its use). */
	filled: z.number().int(),
	/** The segment in words: the option's text, or the range ("18–24"). */
	label: LocalText
});
export type QuotaFill = z.infer<typeof QuotaFill>;
export const ProjectQuotas = z.object({
	quotas: z.array(QuotaFill),
	/** Respondents the screener turned away, per link. */
	screenedOut: z.array(z.object({ linkId: z.string(), count: z.number().int() }))
});
export type ProjectQuotas = z.infer<typeof ProjectQuotas>;
