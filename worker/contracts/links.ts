import { z } from 'zod';
import { SOCKET_ERROR_CODES } from './socket-errors';
import { LINK_LIMITS as LIMITS } from './limits';
import { PublicScreenerQuestion } from './screeners';

export { LIMITS };
import { Name } from './api';

export const Language = z.string().regex(/^(auto|[a-z]{2}(-[A-Z]{2})?)$/, 'Use "auto" or a language code such as "en".');
export const Voice = z.string().trim().min(1).max(LIMITS.voiceChars);
export const DurationMinutes = z
	.number()
	.int('The duration is a whole number of minutes.')
	.min(1, 'Interviews last at least 1 minute.')
	.max(LIMITS.maxDurationMinutes, `Interviews last at most ${LIMITS.maxDurationMinutes} minutes.`);
export const Topics = z.array(z.string().trim().min(1).max(LIMITS.topicChars)).max(LIMITS.topics);
export const InterviewerStatus = z.enum(['live', 'offline']);
/** How long the interviewer waits for the end of an answer: Patient lets people pause to think. */
export const Patience = z.enum(['patient', 'normal', 'quick']);
export type Patience = z.infer<typeof Patience>;

export const Interviewer = z.object({
	id: z.string(),
	projectId: z.string(),
	name: z.string(),
	status: InterviewerStatus,
	voice: z.string(),
	language: z.string(),
	durationMinutes: z.number().int(),
	topics: z.array(z.string()),
	instructions: z.string(),
	patience: Patience,
	openPrivateLinks: z.number().int(),
	createdAt: z.string(),
	updatedAt: z.string()
});
export type Interviewer = z.infer<typeof Interviewer>;

export const CreateInterviewer = z.object({
	name: Name,
	status: InterviewerStatus.default('live'),
	voice: Voice.optional(),
	language: Language.default('auto'),
	durationMinutes: DurationMinutes.default(15),
	topics: Topics.default([]),
	instructions: z.string().max(LIMITS.instructionsChars).default(''),
	patience: Patience.default('patient')
});
export const UpdateInterviewer = z
	.object({
		name: Name,
		status: InterviewerStatus,
		voice: Voice,
		language: Language,
		durationMinutes: DurationMinutes,
		topics: Topics,
		instructions: z.string().max(LIMITS.instructionsChars),
		patience: Patience
	})
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one field to change.' });

export const LinkKind = z.enum(['single', 'public', 'private']);
export type LinkKind = z.infer<typeof LinkKind>;
export const LinkStatus = z.enum(['pending', 'active', 'completed', 'expired', 'cancelled', 'deleted']);
export type LinkStatus = z.infer<typeof LinkStatus>;
export const LinkTab = z.enum(['active', 'completed', 'archived']);
export type LinkTab = z.infer<typeof LinkTab>;
export const LinkAction = z.enum([
	'copy',
	'open',
	'rename',
	'editContext',
	'changeSettings',
	'embed',
	'cancel',
	'enable',
	'disable',
	'regenerate',
	'delete'
]);
export type LinkAction = z.infer<typeof LinkAction>;

export const Link = z.object({
	id: z.string(),
	interviewerId: z.string(),
	projectId: z.string(),
	kind: LinkKind,
	name: z.string(),
	token: z.string(),
	url: z.string(),
	status: LinkStatus,
	enabled: z.boolean(),
	askEmail: z.boolean(),
	exhausted: z.boolean(),
	uses: z.number().int(),
	completedUses: z.number().int(),
	maxUses: z.number().int(),
	expiresAt: z.string().nullable(),
	durationMinutes: z.number().int(),
	voice: z.string().nullable(),
	language: z.string().nullable(),
	topics: z.array(z.string()).nullable(),
	context: z.string(),
	allowedOrigins: z.array(z.string()),
	/** Whether respondents answer the project's screener before consent. */
	screenerEnabled: z.boolean(),
	/** Respondents the screener turned away (nothing else was written for them). */
	screenedOut: z.number().int(),
	reservedTokens: z.number().int(),
	lastInterviewAt: z.string().nullable(),
	createdAt: z.string(),
	tab: LinkTab,
	actions: z.array(LinkAction)
});
export type Link = z.infer<typeof Link>;

/** How many records a link has, and its newest one ("Open record", "Records from this link"). */
export const LinkRecords = z.object({ count: z.number().int(), latestId: z.string().nullable() });
export type LinkRecords = z.infer<typeof LinkRecords>;

/**
 * A link as an interviewer's list shows it: with the ids of its interviews running now ("Live now",
 * "Watch live") and its records.
 */
export const ListedLink = Link.extend({ liveInterviews: z.array(z.string()), records: LinkRecords });
export type ListedLink = z.infer<typeof ListedLink>;

/** Every link of a project, as the records filter lists them. */
export const LinkOption = z.object({
	id: z.string(),
	name: z.string(),
	kind: LinkKind,
	status: LinkStatus,
	interviewerId: z.string(),
	interviewerName: z.string()
});
export type LinkOption = z.infer<typeof LinkOption>;

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const MAX_ALLOWED_ORIGINS = 20;

function isEmbedOrigin(value: string): boolean {
	if (!URL.canParse(value)) return false;
	const url = new URL(value);
	if (url.origin !== value) return false;
	return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
}

/**
 * The websites that may frame a public or private link's embed page: https origins such as
 * `https://example.com` (scheme, host and port only). `http://` is for a loopback test page, which
 * only a loopback development server accepts.
 */
export const AllowedOrigins = z
	.array(
		z.string().max(200).refine(isEmbedOrigin, 'Use a website origin such as https://example.com: https, no path and no trailing slash.')
	)
	.max(MAX_ALLOWED_ORIGINS, `At most ${MAX_ALLOWED_ORIGINS} websites.`)
	.refine((origins) => new Set(origins).size === origins.length, 'Each website is listed once.');

const ExpiresInDays = z
	.number()
	.int('Expiry is a whole number of days.')
	.min(1, 'A link cannot expire in the past.')
	.max(LIMITS.maxExpiryDays);
const MaxUses = z.number().int().min(0, 'maxUses is 0 (unlimited) or more.').max(LIMITS.maxUses);

export const CreateLinks = z
	.object({
		kind: LinkKind.default('single'),
		count: z
			.number()
			.int('Count is a whole number.')
			.min(1, 'Create at least one link.')
			.max(LIMITS.maxLinksPerRequest, `At most ${LIMITS.maxLinksPerRequest} links per request.`)
			.optional(),
		names: z
			.array(Name)
			.min(1)
			.max(LIMITS.maxOpenPrivateLinks, `At most ${LIMITS.maxOpenPrivateLinks} private links per interviewer.`)
			.optional(),
		name: Name.optional(),
		durationMinutes: DurationMinutes.optional(),
		expiresInDays: ExpiresInDays.nullable().optional(),
		maxUses: MaxUses.optional(),
		askEmail: z.enum(['required', 'off']).default('required'),
		voice: Voice.optional(),
		language: Language.optional(),
		topics: Topics.optional(),
		context: z.string().max(LIMITS.contextChars).optional(),
		allowedOrigins: AllowedOrigins.optional(),
		screenerEnabled: z.boolean().optional()
	})
	.superRefine((input, ctx) => {
		if (input.kind === 'single' && input.allowedOrigins?.length)
			ctx.addIssue({ code: 'custom', path: ['allowedOrigins'], message: 'Only public and private links can be embedded.' });
		if (input.kind === 'private' && !input.names)
			ctx.addIssue({ code: 'custom', path: ['names'], message: 'Private links need a name for each person or group.' });
		if (input.kind !== 'private' && input.names)
			ctx.addIssue({ code: 'custom', path: ['names'], message: 'Only private links take names.' });
		if (input.kind !== 'single' && input.count !== undefined && input.count !== 1)
			ctx.addIssue({
				code: 'custom',
				path: ['count'],
				message: 'Public links are created one at a time; private links take one name each.'
			});
		if (input.kind === 'single' && input.maxUses !== undefined && input.maxUses !== 1)
			ctx.addIssue({ code: 'custom', path: ['maxUses'], message: 'A single-use link admits exactly one interview.' });
		if (input.kind !== 'public' && input.askEmail === 'off')
			ctx.addIssue({ code: 'custom', path: ['askEmail'], message: 'Only public links can skip the email.' });
		if (input.names && new Set(input.names.map((name) => name.toLowerCase())).size !== input.names.length) {
			ctx.addIssue({ code: 'custom', path: ['names'], message: 'Each private link needs a different name.' });
		}
	});
export type CreateLinks = z.infer<typeof CreateLinks>;

export const Reservation = z.object({
	tokens: z.number().int(),
	perInterview: z.number().int(),
	available: z.number().int(),
	shortfall: z.number().int()
});
export type Reservation = z.infer<typeof Reservation>;
export const CreatedLinks = z.object({ links: z.array(Link), reservation: Reservation });
export type CreatedLinks = z.infer<typeof CreatedLinks>;

export const UpdateLink = z
	.object({
		name: z.string().trim().min(1, 'A link needs a name.').max(120),
		context: z.string().max(LIMITS.contextChars),
		enabled: z.boolean(),
		/** A new expiry (extend or shorten), or null for none. */
		expiresAt: z.iso.datetime({ offset: true }).nullable(),
		/** A multi-use link's new cap: at least the uses already started, or 0 for unlimited. */
		maxUses: MaxUses,
		/** The websites that may embed a public or private link; an empty list allows none. */
		allowedOrigins: AllowedOrigins,
		/** Ask the project's screener before consent, from the next join. */
		screenerEnabled: z.boolean()
	})
	.partial()
	.refine((patch) => Object.keys(patch).length > 0, {
		message: 'Send name, context, enabled, expiresAt, maxUses, allowedOrigins or screenerEnabled.'
	});

export const PublicLinkState = z.enum(['open', 'unknown', 'expired', 'cancelled', 'offline', 'used_up', 'disabled', 'completed']);
export type PublicLinkState = z.infer<typeof PublicLinkState>;
export const PublicLink = z.object({
	state: PublicLinkState,
	title: z.string().nullable(),
	topics: z.array(z.string()),
	durationMinutes: z.number().int().nullable(),
	language: z.string().nullable(),
	askEmail: z.boolean(),
	mode: z.enum(['local', 'openai', 'workers-ai']).nullable(),
	voice: z.string().nullable(),
	/** The websites allowed to frame the embed page, which it posts its messages to. */
	allowedOrigins: z.array(z.string()),
	/** The screener to answer before consent (empty when the link asks none), without which options qualify. */
	screener: z.array(PublicScreenerQuestion)
});
export type PublicLink = z.infer<typeof PublicLink>;

/**
 * What `POST /api/public/links/:token/join` answers: the socket to open (with its join ticket on a
 * multi-use link), a mailed code to ask for, or the join's refusal as the socket would have said it:
 * its code, its words and the close code (null: ask again, as for a mistyped code). A refusal is an
 * answer, not a failed request, as it was on the socket.
 */
export const JoinAnswer = z.union([
	z.object({ url: z.string().describe('The path of the interview socket to open now (a ticket in it is good for a minute).') }),
	z.object({ verify: z.object({ email: z.string(), expiresInMs: z.number().int().nonnegative() }) }),
	z.object({ refused: z.object({ code: z.enum(SOCKET_ERROR_CODES), message: z.string(), closeCode: z.number().int().nullable() }) })
]);
export type JoinAnswer = z.infer<typeof JoinAnswer>;
