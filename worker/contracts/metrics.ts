import { z } from 'zod';
import { QualityExclusion } from './quality';

/** Interviews by status; `empty` ones started but nobody answered (nothing charged, no report). */
const Counts = z.object({
	started: z.number().int(),
	active: z.number().int(),
	completed: z.number().int(),
	abandoned: z.number().int(),
	empty: z.number().int()
});

/** Per guide question across interviews: how many answered or skipped it, and the median seconds of the answered ones. */
export const QuestionCoverageSummary = z.object({
	questionId: z.string(),
	question: z.string(),
	section: z.string(),
	required: z.boolean(),
	interviews: z.number().int(),
	answered: z.number().int(),
	skipped: z.number().int(),
	medianSeconds: z.number().nullable()
});

export const Metrics = z.object({
	links: z.object({
		total: z.number().int(),
		byStatus: z.record(z.string(), z.number().int())
	}),
	interviews: Counts.extend({
		completionRate: z.number().nullable(),
		averageDurationMs: z.number().nullable(),
		totalDurationMs: z.number().int()
	}),
	tokensCharged: z.number().int(),
	byInterviewer: z.array(Counts.extend({ interviewerId: z.string(), name: z.string() })),
	byLink: z.array(Counts.extend({ linkId: z.string(), name: z.string(), kind: z.string() })),
	daily: z.array(z.object({ date: z.string(), started: z.number().int(), completed: z.number().int() })),
	/** How finished interviews ended: the interviewer closed (completed), time ran out, the respondent left, vanished, or nobody answered (empty). */
	endReasons: z.array(z.object({ reason: z.string(), count: z.number().int(), share: z.number() })),
	/** Per guide question, across the finished interviews that have coverage: how many answered or skipped it, and the median time on it. */
	questions: z.array(QuestionCoverageSummary),
	/** Interviews whose record is flagged low quality are left out unless `?includeLowQuality=true`; this says how many. */
	quality: QualityExclusion
});
export type Metrics = z.infer<typeof Metrics>;
