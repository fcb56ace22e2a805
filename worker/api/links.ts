import { createRoute, z } from '@hono/zod-openapi';
import { CreatedLinks, CreateLinks, Link, LinkOption, LinkTab, ListedLink, Reservation, UpdateLink } from '../contracts/links';
import { NextCursor, PageQuery } from '../contracts/pagination';
import { idempotent } from './middleware/idempotency';
import { cancelLink, deleteLink, regenerateLink, updateLink } from '../services/links';
import { expireDueLinks } from '../services/links';
import { toLink } from '../services/links';
import { createLinks, findLinkRow, listLinks, previewLinks } from '../services/links';
import { listProjectLinks, recordsByLink } from '../services/links';
import { liveInterviewsByLink } from '../services/interviews';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['links'];
const interviewerParams = IdParam('interviewerId');
const linkParams = IdParam('linkId');
const CONFLICT = { 409: ERRORS[400] };
const CREATE_LINKS_EXAMPLE = { kind: 'single' as const, count: 10, durationMinutes: 15, expiresInDays: 14 };

const create = createRoute({
	method: 'post',
	path: '/interviewers/{interviewerId}/links',
	operationId: 'createLinks',
	tags,
	summary: 'Create a batch of links and reserve their tokens (honours Idempotency-Key)',
	middleware: [idempotent('links.create')] as const,
	request: { params: interviewerParams, ...jsonBody(CreateLinks, CREATE_LINKS_EXAMPLE) },
	responses: { 201: json(CreatedLinks, 'Created, with the reservation'), ...ERRORS, 402: ERRORS[400], ...CONFLICT, 422: ERRORS[400] }
});
const preview = createRoute({
	method: 'post',
	path: '/interviewers/{interviewerId}/links/preview',
	operationId: 'previewLinks',
	tags,
	summary: 'What creating these links would reserve; writes nothing',
	request: { params: interviewerParams, ...jsonBody(CreateLinks, CREATE_LINKS_EXAMPLE) },
	responses: { 200: json(Reservation, 'The reservation'), ...ERRORS, ...CONFLICT, 422: ERRORS[400] }
});
const list = createRoute({
	method: 'get',
	path: '/interviewers/{interviewerId}/links',
	operationId: 'listLinks',
	tags,
	summary: "A page of an interviewer's links on a dashboard tab, newest first, each with the ids of its interviews running now",
	request: { params: interviewerParams, query: PageQuery.extend({ tab: LinkTab.default('active') }) },
	responses: { 200: json(z.object({ links: z.array(ListedLink), nextCursor: NextCursor }), 'Links'), ...ERRORS }
});
const projectLinks = createRoute({
	method: 'get',
	path: '/projects/{projectId}/links',
	operationId: 'listProjectLinks',
	tags,
	summary: 'A page of the links of a project, deleted ones included, newest first, for filtering its records by link',
	request: { params: IdParam('projectId'), query: PageQuery },
	responses: { 200: json(z.object({ links: z.array(LinkOption), nextCursor: NextCursor }), 'Links'), ...ERRORS }
});
const read = createRoute({
	method: 'get',
	path: '/links/{linkId}',
	operationId: 'getLink',
	tags,
	summary: 'A link',
	request: { params: linkParams },
	responses: { 200: json(Link, 'The link'), ...ERRORS }
});
const update = createRoute({
	method: 'patch',
	path: '/links/{linkId}',
	operationId: 'updateLink',
	tags,
	summary:
		'Rename, Edit Context, Enable/Disable a multi-use link, or change its expiry and max uses (the reservation follows; honours Idempotency-Key)',
	middleware: [idempotent('links.update')] as const,
	request: { params: linkParams, ...jsonBody(UpdateLink, { name: 'Panel wave 2', maxUses: 200, expiresAt: '2027-01-31T23:59:59Z' }) },
	responses: { 200: json(Link, 'Updated'), ...ERRORS, 402: ERRORS[400], ...CONFLICT, 422: ERRORS[400] }
});
const cancel = createRoute({
	method: 'post',
	path: '/links/{linkId}/cancel',
	operationId: 'cancelLink',
	tags,
	summary: 'Cancel a pending link and release its reservation',
	request: { params: linkParams },
	responses: { 200: json(Link, 'Cancelled'), ...ERRORS, ...CONFLICT }
});
const regenerate = createRoute({
	method: 'post',
	path: '/links/{linkId}/regenerate',
	operationId: 'regenerateLink',
	tags,
	summary: 'Give the link a new token; the old one is refused at once',
	request: { params: linkParams },
	responses: { 200: json(Link, 'Regenerated'), ...ERRORS, ...CONFLICT }
});
const remove = createRoute({
	method: 'delete',
	path: '/links/{linkId}',
	operationId: 'deleteLink',
	tags,
	summary: 'Delete a link: it is revoked at once and unused tokens come back',
	request: { params: linkParams },
	responses: { ...NO_CONTENT, ...ERRORS, ...CONFLICT }
});

export function linkRoutes() {
	return createRouter()
		.openapi(create, async (c) => {
			const principal = requirePrincipal(c);
			const { interviewerId } = c.req.valid('param');
			// A private link past its expiry gives its room back before the limit is counted.
			await expireDueLinks(c.env, c.get('db'), { workspaceId: principal.workspaceId, interviewerId });
			return c.json(await createLinks(c.env, c.get('db'), principal, interviewerId, c.req.valid('json')), 201);
		})
		.openapi(preview, async (c) => {
			const principal = requirePrincipal(c);
			const { interviewerId } = c.req.valid('param');
			await expireDueLinks(c.env, c.get('db'), { workspaceId: principal.workspaceId, interviewerId });
			return c.json(await previewLinks(c.env, c.get('db'), principal, interviewerId, c.req.valid('json')), 200);
		})
		.openapi(list, async (c) => {
			const principal = requirePrincipal(c);
			const { interviewerId } = c.req.valid('param');
			await expireDueLinks(c.env, c.get('db'), { workspaceId: principal.workspaceId, interviewerId });
			const { tab, ...page } = c.req.valid('query');
			const { links, nextCursor } = await listLinks(c.env, c.get('db'), principal, interviewerId, tab, page);
			const linkIds = links.map((link) => link.id);
			const live = await liveInterviewsByLink(c.get('db'), principal, interviewerId, linkIds);
			const records = await recordsByLink(c.get('db'), principal, interviewerId, linkIds);
			const listed = links.map((link) => ({
				...link,
				liveInterviews: live.get(link.id) ?? [],
				records: records.get(link.id) ?? { count: 0, latestId: null }
			}));
			return c.json({ links: listed, nextCursor }, 200);
		})
		.openapi(projectLinks, async (c) =>
			c.json(await listProjectLinks(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('query')), 200)
		)
		.openapi(read, async (c) =>
			c.json(toLink(await findLinkRow(c.get('db'), requirePrincipal(c), c.req.valid('param').linkId), c.env.PUBLIC_BASE_URL), 200)
		)
		.openapi(update, async (c) =>
			c.json(await updateLink(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').linkId, c.req.valid('json')), 200)
		)
		.openapi(cancel, async (c) => c.json(await cancelLink(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').linkId), 200))
		.openapi(regenerate, async (c) =>
			c.json(await regenerateLink(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').linkId), 200)
		)
		.openapi(remove, async (c) => {
			await deleteLink(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').linkId);
			return c.body(null, 204);
		});
}
