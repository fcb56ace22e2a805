import { z } from 'zod';
import { InterviewGuide } from './guide';
import { ACCOUNT_LIMITS as LIMITS } from './limits';

export { LIMITS };

/** Request and response shapes of the API, shared by the worker (validation, OpenAPI) and web/. */
export const Role = z.enum(['owner', 'admin', 'member']);
export type Role = z.infer<typeof Role>;

export const Name = z
	.string()
	.trim()
	.min(1, 'Name is required.')
	.max(LIMITS.nameChars, `Names are at most ${LIMITS.nameChars} characters.`);
export const Email = z
	.email('Enter a valid email address.')
	.max(LIMITS.emailChars)
	.transform((email) => email.toLowerCase());

export const Balance = z.object({
	available: z.number().int(),
	reserved: z.number().int(),
	usedThisMonth: z.number().int()
});
export type Balance = z.infer<typeof Balance>;

export const WorkspaceSummary = z.object({ id: z.string(), name: z.string(), role: Role });
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

export const Me = z.object({
	user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
	workspace: z.object({ id: z.string(), name: z.string() }),
	role: Role,
	workspaces: z.array(WorkspaceSummary),
	balance: Balance,
	authMethod: z.enum(['session', 'api_key'])
});
export type Me = z.infer<typeof Me>;

export const CreateWorkspace = z.object({ name: Name });
export const SwitchWorkspace = z.object({ workspaceId: z.string().min(1).max(64) });
export const RenameWorkspace = z.object({ name: Name });

export const Member = z.object({
	userId: z.string(),
	name: z.string(),
	email: z.string(),
	role: Role,
	joinedAt: z.string()
});
export type Member = z.infer<typeof Member>;
export const ChangeMemberRole = z.object({ role: z.enum(['admin', 'member']) });

export const CreateInvitation = z.object({ email: Email, role: z.enum(['admin', 'member']).default('member') });
export const Invitation = z.object({
	id: z.string(),
	email: z.string(),
	role: Role,
	createdAt: z.string(),
	expiresAt: z.string(),
	status: z.enum(['pending', 'accepted', 'revoked', 'expired'])
});
export type Invitation = z.infer<typeof Invitation>;
export const CreatedInvitation = z.object({ invitation: Invitation, url: z.string() });
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;
export const InvitationPreview = z.object({ workspaceName: z.string(), email: z.string(), role: Role, status: Invitation.shape.status });
export type InvitationPreview = z.infer<typeof InvitationPreview>;

export const CreateApiKey = z.object({ name: Name, role: z.enum(['admin', 'member']).default('member') });
export const ApiKey = z.object({
	id: z.string(),
	name: z.string(),
	prefix: z.string(),
	role: Role,
	createdAt: z.string(),
	lastUsedAt: z.string().nullable(),
	revokedAt: z.string().nullable()
});
export type ApiKey = z.infer<typeof ApiKey>;
export const CreatedApiKey = z.object({ apiKey: ApiKey, secret: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const Project = z.object({
	id: z.string(),
	name: z.string(),
	researchGoals: z.string(),
	interviewGuide: InterviewGuide,
	interviewGuideMarkdown: z.string(),
	contextComplete: z.boolean(),
	createdAt: z.string(),
	updatedAt: z.string()
});
export type Project = z.infer<typeof Project>;
export const ProjectSummary = Project.pick({ id: true, name: true, contextComplete: true, createdAt: true, updatedAt: true }).extend({
	questionCount: z.number().int()
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const ResearchGoals = z
	.string()
	.max(LIMITS.researchGoalsChars, `Research Goals are at most ${LIMITS.researchGoalsChars} characters.`);
export const CreateProject = z.object({ name: Name, researchGoals: ResearchGoals.optional(), interviewGuide: InterviewGuide.optional() });
export const UpdateProject = z
	.object({ name: Name.optional(), researchGoals: ResearchGoals.optional(), interviewGuide: InterviewGuide.optional() })
	.refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one of name, researchGoals, interviewGuide.' });
export const ProjectListQuery = z.object({
	q: z.string().max(LIMITS.nameChars).optional(),
	sort: z.enum(['updated', 'created', 'name']).default('updated'),
	order: z.enum(['asc', 'desc']).default('desc')
});
export const ParseGuide = z.object({ text: z.string().max(64 * 1024) });
