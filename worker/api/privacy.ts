import { createRoute } from '@hono/zod-openapi';
import { ProjectPrivacy, UpdateProjectPrivacy } from '../contracts/privacy';
import { getProjectPrivacy, updateProjectPrivacy } from '../services/privacy';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody } from './openapi';

const tags = ['projects'];
const params = IdParam('projectId');

const read = createRoute({
	method: 'get',
	path: '/projects/{projectId}/privacy',
	operationId: 'getProjectPrivacy',
	tags,
	summary: "The project's personal-data settings: redaction, and whether originals are kept",
	request: { params },
	responses: { 200: json(ProjectPrivacy, 'Settings'), ...ERRORS }
});
const update = createRoute({
	method: 'patch',
	path: '/projects/{projectId}/privacy',
	operationId: 'updateProjectPrivacy',
	tags,
	summary: 'Turn redaction on or off (any member), or keep originals (owners and admins); applies to transcripts stored afterwards',
	request: { params, ...jsonBody(UpdateProjectPrivacy, { redactPersonalData: true, keepOriginal: false }) },
	responses: { 200: json(ProjectPrivacy, 'Saved'), ...ERRORS }
});

export function privacyRoutes() {
	return createRouter()
		.openapi(read, async (c) => c.json(await getProjectPrivacy(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId), 200))
		.openapi(update, async (c) =>
			c.json(await updateProjectPrivacy(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('json')), 200)
		);
}
