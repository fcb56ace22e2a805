import { createRoute, z } from '@hono/zod-openapi';
import { CreatedInvitation, CreateInvitation, Invitation, InvitationPreview, Me } from '../contracts/api';
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from '../services/accounts';
import { createMailer } from '../services/accounts';
import { ApiError } from '../lib/errors';
import { createRouter, requireAccount, requirePrincipal } from './context';
import { buildMeAfterSwitch } from './me';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';
import { PUBLIC } from './openapi-document';

const tags = ['workspaces'];
const TokenParam = z.object({ token: z.string().min(1).max(128) });

const list = createRoute({
	method: 'get',
	path: '/workspace/invitations',
	operationId: 'listInvitations',
	tags,
	summary: 'Invitations of the current workspace (admins and owners)',
	responses: { 200: json(z.object({ invitations: z.array(Invitation) }), 'Invitations'), ...ERRORS }
});
const create = createRoute({
	method: 'post',
	path: '/workspace/invitations',
	operationId: 'createInvitation',
	tags,
	summary: 'Invite someone by email; the mail carries an invite link',
	request: jsonBody(CreateInvitation, { email: 'colleague@example.com', role: 'member' }),
	responses: { 201: json(CreatedInvitation, 'Invited'), ...ERRORS, 409: ERRORS[400] }
});
const revoke = createRoute({
	method: 'delete',
	path: '/workspace/invitations/{invitationId}',
	operationId: 'revokeInvitation',
	tags,
	summary: 'Revoke a pending invitation',
	request: { params: IdParam('invitationId') },
	responses: { ...NO_CONTENT, ...ERRORS }
});
const preview = createRoute({
	method: 'get',
	path: '/invitations/{token}',
	operationId: 'getInvitation',
	...PUBLIC,
	tags,
	summary: 'What an invite link is for (no sign-in needed)',
	request: { params: TokenParam },
	responses: { 200: json(InvitationPreview, 'The invitation'), 404: ERRORS[404] }
});
const accept = createRoute({
	method: 'post',
	path: '/invitations/{token}/accept',
	operationId: 'acceptInvitation',
	tags,
	summary: 'Join the workspace of an invitation addressed to your email',
	request: { params: TokenParam },
	responses: { 200: json(Me, 'Joined; the workspace is now current'), ...ERRORS }
});

export function invitationRoutes() {
	return createRouter()
		.openapi(list, async (c) => c.json({ invitations: await listInvitations(c.get('db'), requirePrincipal(c)) }, 200))
		.openapi(create, async (c) => {
			const body = c.req.valid('json');
			const created = await createInvitation(c.get('db'), createMailer(c.env), requirePrincipal(c), {
				...body,
				baseUrl: c.env.PUBLIC_BASE_URL
			});
			return c.json(created, 201);
		})
		.openapi(revoke, async (c) => {
			await revokeInvitation(c.get('db'), requirePrincipal(c), c.req.valid('param').invitationId);
			return c.body(null, 204);
		})
		.openapi(preview, async (c) => c.json(await previewInvitation(c.get('db'), c.req.valid('param').token), 200))
		.openapi(accept, async (c) => {
			const principal = requirePrincipal(c);
			if (principal.method === 'api_key') throw new ApiError('forbidden', 'Accept invitations while signed in, not with an API key.');
			const account = requireAccount(c);
			const workspaceId = await acceptInvitation(c.get('db'), account, c.req.valid('param').token);
			return c.json(await buildMeAfterSwitch(c, workspaceId), 200);
		});
}
