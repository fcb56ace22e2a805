import { createRoute, z } from '@hono/zod-openapi';
import { CreateProject, ParseGuide, Project, ProjectListQuery, ProjectSummary, UpdateProject } from '../contracts/api';
import { InterviewGuide } from '../contracts/guide';
import { enqueueJob } from '../jobs/queue';
import { createProject, deleteProject, getProject, listProjects, parsePastedGuide, updateProject } from '../services/projects';
import { NextCursor, PageQuery } from '../contracts/pagination';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['projects'];
const params = IdParam('projectId');

const GUIDE_EXAMPLE = {
	sections: [
		{
			id: 's1',
			title: 'Checkout',
			questions: [{ id: 'q1', text: 'Walk me through your last checkout.', probes: ['What made you hesitate?'] }]
		}
	]
};
const list = createRoute({
	method: 'get',
	path: '/projects',
	operationId: 'listProjects',
	tags,
	summary: 'A page of the projects of the current workspace, with search and sorting',
	request: { query: ProjectListQuery.extend(PageQuery.shape) },
	responses: { 200: json(z.object({ projects: z.array(ProjectSummary), nextCursor: NextCursor }), 'Projects'), ...ERRORS }
});
const create = createRoute({
	method: 'post',
	path: '/projects',
	operationId: 'createProject',
	tags,
	summary: 'Create a project',
	request: jsonBody(CreateProject, {
		name: 'Checkout study',
		researchGoals: 'Find where first-time buyers hesitate.',
		interviewGuide: GUIDE_EXAMPLE
	}),
	responses: { 201: json(Project, 'Created'), ...ERRORS }
});
const read = createRoute({
	method: 'get',
	path: '/projects/{projectId}',
	operationId: 'getProject',
	tags,
	summary: 'A project with its research context',
	request: { params },
	responses: { 200: json(Project, 'The project'), ...ERRORS }
});
const update = createRoute({
	method: 'patch',
	path: '/projects/{projectId}',
	operationId: 'updateProject',
	tags,
	summary: 'Rename a project or edit its Research Goals and Interview Guide',
	request: { params, ...jsonBody(UpdateProject, { name: 'Checkout study, round 2' }) },
	responses: { 200: json(Project, 'Updated'), ...ERRORS }
});
const remove = createRoute({
	method: 'delete',
	path: '/projects/{projectId}',
	operationId: 'deleteProject',
	tags,
	summary: 'Delete a project (admins and owners); its files are purged in the background',
	request: { params },
	responses: { ...NO_CONTENT, ...ERRORS }
});
const parse = createRoute({
	method: 'post',
	path: '/guides/parse',
	operationId: 'parseGuide',
	tags,
	summary: 'Turn a plain-text or Markdown guide into sections and questions',
	request: jsonBody(ParseGuide, { text: '## Checkout\n- Walk me through your last checkout.\n  - What made you hesitate?' }),
	responses: {
		200: json(InterviewGuide, 'The structured guide'),
		...ERRORS,
		422: { ...ERRORS[400], description: 'The guide breaks a limit; the message names it' }
	}
});

export function projectRoutes() {
	return createRouter()
		.openapi(list, async (c) => c.json(await listProjects(c.get('db'), requirePrincipal(c), c.req.valid('query')), 200))
		.openapi(create, async (c) => c.json(await createProject(c.get('db'), requirePrincipal(c), c.req.valid('json')), 201))
		.openapi(read, async (c) => c.json(await getProject(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId), 200))
		.openapi(update, async (c) => {
			const project = await updateProject(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('json'));
			return c.json(project, 200);
		})
		.openapi(remove, async (c) => {
			const principal = requirePrincipal(c);
			const { projectId } = c.req.valid('param');
			await deleteProject(c.env, c.get('db'), principal, projectId);
			c.executionCtx.waitUntil(enqueueJob(c.env, { type: 'project.purge', workspaceId: principal.workspaceId, projectId }));
			return c.body(null, 204);
		})
		.openapi(parse, async (c) => {
			requirePrincipal(c);
			return c.json(parsePastedGuide(c.req.valid('json').text), 200);
		});
}
