import { createRoute } from '@hono/zod-openapi';
import { Metrics } from '../contracts/metrics';
import { QualityToggleQuery } from '../contracts/quality';
import { interviewerMetrics, projectMetrics } from '../services/metrics';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json } from './openapi';

const project = createRoute({
	method: 'get',
	path: '/projects/{projectId}/metrics',
	operationId: 'getProjectMetrics',
	tags: ['metrics'],
	summary: 'Interviews, completion, duration, tokens and links of a project, with per-interviewer, per-link and daily figures',
	request: { params: IdParam('projectId'), query: QualityToggleQuery },
	responses: { 200: json(Metrics, 'Metrics'), ...ERRORS }
});
const interviewer = createRoute({
	method: 'get',
	path: '/interviewers/{interviewerId}/metrics',
	operationId: 'getInterviewerMetrics',
	tags: ['metrics'],
	summary: 'The same figures for one interviewer, per link (private links by name)',
	request: { params: IdParam('interviewerId'), query: QualityToggleQuery },
	responses: { 200: json(Metrics, 'Metrics'), ...ERRORS }
});

const included = (query: { includeLowQuality?: 'true' | 'false' }) => query.includeLowQuality === 'true';

export function metricsRoutes() {
	return createRouter()
		.openapi(project, async (c) =>
			c.json(await projectMetrics(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, included(c.req.valid('query'))), 200)
		)
		.openapi(interviewer, async (c) =>
			c.json(
				await interviewerMetrics(c.get('db'), requirePrincipal(c), c.req.valid('param').interviewerId, included(c.req.valid('query'))),
				200
			)
		);
}
