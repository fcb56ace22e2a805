import { createRoute } from '@hono/zod-openapi';
import { AiSettings, UpdateAiSettings } from '../contracts/providers';
import { getAiSettings, setAiProvider } from '../services/interviewers';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, json, jsonBody } from './openapi';

const tags = ['workspaces'];

const read = createRoute({
	method: 'get',
	path: '/workspace/ai',
	operationId: 'getWorkspaceAi',
	tags,
	summary: "The workspace's AI provider, its saved preference and the providers this server can run",
	responses: { 200: json(AiSettings, 'Settings'), ...ERRORS }
});
const update = createRoute({
	method: 'patch',
	path: '/workspace/ai',
	operationId: 'updateWorkspaceAi',
	tags,
	summary: 'Choose the AI provider for new interviews, checks and reports (admins and owners; null = server default)',
	request: jsonBody(UpdateAiSettings, { provider: 'openai' }),
	responses: { 200: json(AiSettings, 'Saved'), ...ERRORS, 422: ERRORS[400] }
});

export function workspaceAiRoutes() {
	return createRouter()
		.openapi(read, async (c) => c.json(await getAiSettings(c.env, c.get('db'), requirePrincipal(c)), 200))
		.openapi(update, async (c) => c.json(await setAiProvider(c.env, c.get('db'), requirePrincipal(c), c.req.valid('json').provider), 200));
}
