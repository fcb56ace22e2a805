import { z } from 'zod';
import { OBSERVER_PROTOCOL_VERSION } from './protocol-constants';
import { InterviewStatus, QuestionCoverage, Turn } from './protocol';
import { SOCKET_ERROR_CODES } from './socket-errors';

/**
 * What a researcher watching an interview receives on `/ws/observe/:interviewId` (server to observer
 * only: observers send nothing the server acts on). Versioned apart from the respondent protocol so
 * either can change alone. Clients ignore message types they do not know, so a new message (the
 * new kind of event, say) is added without a version change; changing one that exists is a new version.
 */
export const ObserverWelcome = z.object({
	type: z.literal('observe.welcome'),
	protocol: z.literal(OBSERVER_PROTOCOL_VERSION),
	interview: z.string(),
	projectId: z.string(),
	status: InterviewStatus,
	/** The server's remaining time when this was sent; the page counts down from it. */
	remainingMs: z.number().int().nonnegative(),
	transcript: z.array(Turn),
	/** The guide's questions and where each stands now (empty when the guide has none). */
	coverage: z.array(QuestionCoverage),
	/** The respondent's email, or null on an anonymous link. */
	respondent: z.string().nullable(),
	linkName: z.string(),
	linkKind: z.enum(['single', 'public', 'private']),
	/** Epoch milliseconds. */
	startedAt: z.number().int()
});
export type ObserverWelcome = z.infer<typeof ObserverWelcome>;

export const ObserverMessage = z.discriminatedUnion('type', [
	ObserverWelcome,
	/** A turn as the respondent gets it: stored first, a partial one replaced by its final text under the same id. */
	z.object({ type: z.literal('turn') }).extend(Turn.shape),
	/** The guide's coverage whenever a question's state changes: the whole list, in guide order. */
	z.object({ type: z.literal('coverage'), coverage: z.array(QuestionCoverage) }),
	/** The status and remaining time, whenever the respondent is told them. */
	z.object({ type: z.literal('state'), status: InterviewStatus, remainingMs: z.number().int().nonnegative() }),
	/** The interview is over; the socket closes next. `recordId` is its record, when it has one. */
	z.object({ type: z.literal('ended'), reason: z.string(), recordId: z.string().nullable() }),
	z.object({ type: z.literal('error'), code: z.enum(SOCKET_ERROR_CODES), message: z.string() })
]);
export type ObserverMessage = z.infer<typeof ObserverMessage>;
