import { createRoute, z } from '@hono/zod-openapi';
import { ApiKey, CreateApiKey, CreatedApiKey } from '../contracts/api';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/accounts';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['workspaces'];

const list = createRoute({
	method: 'get',
	path: '/workspace/api-keys',
	operationId: 'listApiKeys',
	tags,
	summary: 'API keys of the current workspace (admins and owners)',
	responses: { 200: json(z.object({ apiKeys: z.array(ApiKey) }), 'Keys, without their secrets'), ...ERRORS }
});
const create = createRoute({
	method: 'post',
	path: '/workspace/api-keys',
	operationId: 'createApiKey',
	tags,
	summary: 'Create an API key; its secret is shown only in this response',
	request: jsonBody(CreateApiKey, { name: 'CRM sync', role: 'member' }),
	responses: { 201: json(CreatedApiKey, 'Created'), ...ERRORS }
});
const revoke = createRoute({
	method: 'delete',
	path: '/workspace/api-keys/{keyId}',
	operationId: 'revokeApiKey',
	tags,
	summary: 'Revoke an API key at once',
	request: { params: IdParam('keyId') },
	responses: { ...NO_CONTENT, ...ERRORS }
});

export function apiKeyRoutes() {
	return createRouter()
		.openapi(list, async (c) => c.json({ apiKeys: await listApiKeys(c.get('db'), requirePrincipal(c)) }, 200))
		.openapi(create, async (c) => c.json(await createApiKey(c.get('db'), requirePrincipal(c), c.req.valid('json')), 201))
		.openapi(revoke, async (c) => {
			await revokeApiKey(c.get('db'), requirePrincipal(c), c.req.valid('param').keyId);
			return c.body(null, 204);
		});
}
