import { z } from 'zod';
import { MAX_TEXT_ANSWER_CHARS, PROTOCOL_VERSION } from './protocol-constants';
import { SOCKET_ERROR_CODES } from './socket-errors';
import { ScreenerAnswers } from './screeners';

export * from './protocol-constants';
export * from './socket-errors';

export const InterviewStatus = z.enum(['waiting', 'active', 'completed', 'abandoned']);
export type InterviewStatus = z.infer<typeof InterviewStatus>;

/** Who is joining: the fields of `hello`, also what `POST /api/public/links/:token/join` takes. */
export const JoinFields = z.object({
	email: z.string().max(254).optional(),
	consent: z.boolean().optional(),
	resumeToken: z.string().max(128).optional(),
	/** The language of the respondent's page (BCP 47): what an interview in Auto speaks in local mode, and which guide translation it uses. */
	language: z
		.string()
		.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/)
		.max(35)
		.optional(),
	/** The one-time code mailed to the respondent, to rejoin a multi-use interview from another browser. */
	rejoinCode: z
		.string()
		.regex(/^\d{6}$/)
		.optional(),
	/** Answers to the link's screener (when it asks one); the server judges them, whatever the page concluded. */
	screener: ScreenerAnswers.optional()
});

export const ClientMessage = z.discriminatedUnion('type', [
	z.object({ type: z.literal('hello'), protocol: z.number().int() }).extend(JoinFields.shape),
	z.object({ type: z.literal('text'), content: z.string().trim().min(1).max(MAX_TEXT_ANSWER_CHARS) }),
	z.object({ type: z.literal('mute'), on: z.boolean() }),
	z.object({ type: z.literal('leave') }),
	z.object({ type: z.literal('ping') })
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const TurnRole = z.enum(['interviewer', 'respondent']);

/** Where a guide question stands in an interview: the moderation plan's state. */
export const CoverageStatus = z.enum(['pending', 'asked', 'answered', 'skipped']);
export type CoverageStatus = z.infer<typeof CoverageStatus>;
/** One guide question's coverage, as the record and the observers see it. */
export const QuestionCoverage = z.object({
	questionId: z.string(),
	question: z.string(),
	section: z.string(),
	required: z.boolean(),
	status: CoverageStatus,
	askedTurnId: z.string().nullable(),
	answeredTurnIds: z.array(z.string()),
	seconds: z.number().int().nonnegative()
});
export type QuestionCoverage = z.infer<typeof QuestionCoverage>;
export const Turn = z.object({
	id: z.string(),
	role: TurnRole,
	text: z.string(),
	final: z.boolean(),
	at: z.number().int(),
	transcribed: z.boolean().optional()
});
export type Turn = z.infer<typeof Turn>;

export const ServerMessage = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('welcome'),
		protocol: z.literal(PROTOCOL_VERSION),
		interview: z.string(),
		status: InterviewStatus,
		remainingMs: z.number().int().nonnegative(),
		transcript: z.array(Turn),
		provider: z.string().optional(),
		resumeToken: z.string().optional()
	}),
	z.object({ type: z.literal('turn') }).extend(Turn.shape),
	z.object({ type: z.literal('state'), status: InterviewStatus, remainingMs: z.number().int().nonnegative() }),
	z.object({ type: z.literal('playback.flush') }),
	/** This email has an interview running on the link: prove it with the code just mailed to it. */
	z.object({ type: z.literal('rejoin.verify'), email: z.string(), expiresInMs: z.number().int().nonnegative() }),
	z.object({ type: z.literal('ended'), reason: z.string() }),
	z.object({ type: z.literal('error'), code: z.enum(SOCKET_ERROR_CODES), message: z.string() })
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
