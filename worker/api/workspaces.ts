import { createRoute, z } from '@hono/zod-openapi';
import { ChangeMemberRole, CreateWorkspace, Me, Member, RenameWorkspace, SwitchWorkspace, WorkspaceSummary } from '../contracts/api';
import { assertRole } from '../lib/principal';
import { changeMemberRole, listMembers, removeMember } from '../services/accounts';
import { ApiError } from '../lib/errors';
import { createWorkspace, renameWorkspace, switchWorkspace } from '../services/accounts';
import { NextCursor, PageQuery } from '../contracts/pagination';
import { createRouter, requireAccount, requirePrincipal } from './context';
import { buildMeAfterSwitch } from './me';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['workspaces'];

const create = createRoute({
	method: 'post',
	path: '/workspaces',
	operationId: 'createWorkspace',
	tags,
	summary: 'Create a workspace you own, and switch to it',
	request: jsonBody(CreateWorkspace, { name: 'Research team' }),
	responses: { 201: json(WorkspaceSummary, 'Created'), ...ERRORS }
});
const switchTo = createRoute({
	method: 'post',
	path: '/workspaces/switch',
	operationId: 'switchWorkspace',
	tags,
	summary: 'Make another of your workspaces the current one',
	request: jsonBody(SwitchWorkspace, { workspaceId: 'ws_1a2b3c' }),
	responses: { 200: json(Me, 'The new current workspace'), ...ERRORS }
});
const rename = createRoute({
	method: 'patch',
	path: '/workspace',
	operationId: 'renameWorkspace',
	tags,
	summary: 'Rename the current workspace (admins and owners)',
	request: jsonBody(RenameWorkspace, { name: 'UX research' }),
	responses: { 200: json(WorkspaceSummary, 'Renamed'), ...ERRORS }
});
const members = createRoute({
	method: 'get',
	path: '/workspace/members',
	operationId: 'listMembers',
	tags,
	summary: 'A page of the members of the current workspace, in the order they joined',
	request: { query: PageQuery },
	responses: { 200: json(z.object({ members: z.array(Member), nextCursor: NextCursor }), 'Members'), ...ERRORS }
});
const changeRole = createRoute({
	method: 'patch',
	path: '/workspace/members/{userId}',
	operationId: 'changeMemberRole',
	tags,
	summary: "Change a member's role (admins and owners; never the owner's)",
	request: { params: IdParam('userId'), ...jsonBody(ChangeMemberRole, { role: 'admin' }) },
	responses: { ...NO_CONTENT, ...ERRORS }
});
const remove = createRoute({
	method: 'delete',
	path: '/workspace/members/{userId}',
	operationId: 'removeMember',
	tags,
	summary: 'Remove a member (admins and owners), or leave the workspace yourself',
	request: { params: IdParam('userId') },
	responses: { ...NO_CONTENT, ...ERRORS }
});

export function workspaceRoutes() {
	return createRouter()
		.openapi(create, async (c) => {
			const account = requireAccount(c);
			requirePrincipal(c);
			const summary = await createWorkspace(c.get('db'), account.id, c.req.valid('json').name);
			return c.json(summary, 201);
		})
		.openapi(switchTo, async (c) => {
			const principal = requirePrincipal(c);
			if (principal.method === 'api_key') throw new ApiError('forbidden', 'An API key belongs to one workspace.');
			const account = requireAccount(c);
			const { workspaceId } = c.req.valid('json');
			await switchWorkspace(c.get('db'), account.id, workspaceId);
			return c.json(await buildMeAfterSwitch(c, workspaceId), 200);
		})
		.openapi(rename, async (c) => {
			const principal = requirePrincipal(c);
			assertRole(principal, 'admin', 'rename the workspace');
			const { name } = c.req.valid('json');
			await renameWorkspace(c.get('db'), principal, name);
			return c.json({ id: principal.workspaceId, name, role: principal.role }, 200);
		})
		.openapi(members, async (c) => c.json(await listMembers(c.get('db'), requirePrincipal(c), c.req.valid('query')), 200))
		.openapi(changeRole, async (c) => {
			await changeMemberRole(c.get('db'), requirePrincipal(c), c.req.valid('param').userId, c.req.valid('json').role);
			return c.body(null, 204);
		})
		.openapi(remove, async (c) => {
			await removeMember(c.get('db'), requirePrincipal(c), c.req.valid('param').userId);
			return c.body(null, 204);
		});
}
