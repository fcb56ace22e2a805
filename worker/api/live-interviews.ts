import { createRoute } from '@hono/zod-openapi';
import { LiveInterviews } from '../contracts/live';
import { listLiveInterviews } from '../services/interviews';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json } from './openapi';

const live = createRoute({
	method: 'get',
	path: '/projects/{projectId}/interviews/live',
	operationId: 'listLiveInterviews',
	tags: ['interviews'],
	summary: 'Interviews of a project running now, newest first (watch one on /ws/observe/{interviewId})',
	request: { params: IdParam('projectId') },
	responses: { 200: json(LiveInterviews, 'Running interviews'), ...ERRORS }
});

export function liveInterviewRoutes() {
	return createRouter().openapi(live, async (c) =>
		c.json({ interviews: await listLiveInterviews(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId) }, 200)
	);
}
