import { z } from 'zod';

const Counts = z.object({ started: z.number().int(), active: z.number().int(), completed: z.number().int(), abandoned: z.number().int() });

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
	daily: z.array(z.object({ date: z.string(), started: z.number().int(), completed: z.number().int() }))
});
export type Metrics = z.infer<typeof Metrics>;
