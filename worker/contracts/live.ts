import { z } from 'zod';
import { LinkKind } from './links';

/** An interview running now, as the project's "Live now" list shows it. Times are ISO 8601. */
export const LiveInterview = z.object({
	id: z.string(),
	projectId: z.string(),
	interviewerId: z.string(),
	link: z.object({ id: z.string(), name: z.string(), kind: LinkKind }),
	/** The respondent's email, or null on an anonymous link. */
	respondent: z.string().nullable(),
	startedAt: z.string(),
	deadlineAt: z.string()
});
export type LiveInterview = z.infer<typeof LiveInterview>;

export const LiveInterviews = z.object({ interviews: z.array(LiveInterview) });
