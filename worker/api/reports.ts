import { createRoute, z } from '@hono/zod-openapi';
import { CreateProjectReport, ReportDetail, ReportQuery, ReportSettings, ReportSummary } from '../contracts/reports';
import { renderReportMarkdown } from '../services/reports';
import {
	createProjectReport,
	createRecordReport,
	deleteReport,
	getReport,
	getReportSettings,
	listReports,
	retryReport,
	updateReportSettings
} from '../services/reports';
import { NextCursor, PageQuery } from '../contracts/pagination';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['reports'];
const projectParams = IdParam('projectId');
const params = IdParam('reportId');
const conflict = { 409: json(z.any(), 'Not possible in this state') };

const createSingle = createRoute({
	method: 'post',
	path: '/records/{recordId}/reports',
	operationId: 'createRecordReport',
	tags,
	summary: 'Queue a report on one record',
	request: { params: IdParam('recordId') },
	responses: { 202: json(ReportSummary, 'Queued'), ...conflict, ...ERRORS }
});
const createProject = createRoute({
	method: 'post',
	path: '/projects/{projectId}/reports',
	operationId: 'createProjectReport',
	tags,
	summary: 'Queue a report across records of a project (default: every record with a transcript)',
	request: { params: projectParams, ...jsonBody(CreateProjectReport, { recordIds: ['rec_1a2b3c', 'rec_4d5e6f'] }, { required: false }) },
	responses: { 202: json(ReportSummary, 'Queued'), ...conflict, ...ERRORS }
});
const list = createRoute({
	method: 'get',
	path: '/projects/{projectId}/reports',
	operationId: 'listReports',
	tags,
	summary: 'A page of the reports of a project, newest first, with status and progress',
	request: { params: projectParams, query: PageQuery },
	responses: { 200: json(z.object({ reports: z.array(ReportSummary), nextCursor: NextCursor }), 'Reports'), ...ERRORS }
});
const read = createRoute({
	method: 'get',
	path: '/reports/{reportId}',
	operationId: 'getReport',
	tags,
	summary: 'A report with its structured content once ready; ?format=md for Markdown',
	request: { params, query: ReportQuery },
	responses: { 200: json(ReportDetail, 'The report'), ...ERRORS }
});
const retry = createRoute({
	method: 'post',
	path: '/reports/{reportId}/retry',
	operationId: 'retryReport',
	tags,
	summary: 'Queue a failed report again',
	request: { params },
	responses: { 202: json(ReportSummary, 'Queued'), ...conflict, ...ERRORS }
});
const remove = createRoute({
	method: 'delete',
	path: '/reports/{reportId}',
	operationId: 'deleteReport',
	tags,
	summary: 'Delete a report',
	request: { params },
	responses: { ...NO_CONTENT, ...ERRORS }
});
const readSettings = createRoute({
	method: 'get',
	path: '/projects/{projectId}/report-settings',
	operationId: 'getReportSettings',
	tags,
	summary: 'Whether a report is generated automatically for every completed interview',
	request: { params: projectParams },
	responses: { 200: json(ReportSettings, 'Settings'), ...ERRORS }
});
const updateSettings = createRoute({
	method: 'patch',
	path: '/projects/{projectId}/report-settings',
	operationId: 'updateReportSettings',
	tags,
	summary: 'Turn automatic reports on or off',
	request: { params: projectParams, ...jsonBody(ReportSettings, { autoReport: true }) },
	responses: { 200: json(ReportSettings, 'Settings'), ...ERRORS }
});

export function reportRoutes() {
	return createRouter()
		.openapi(createSingle, async (c) =>
			c.json(await createRecordReport(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').recordId), 202)
		)
		.openapi(createProject, async (c) => {
			const body = c.req.header('Content-Length') === '0' || !c.req.header('Content-Type') ? {} : c.req.valid('json');
			return c.json(await createProjectReport(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, body), 202);
		})
		.openapi(list, async (c) =>
			c.json(await listReports(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('query')), 200)
		)
		.openapi(read, async (c) => {
			const detail = await getReport(c.get('db'), c.env.FILES, requirePrincipal(c), c.req.valid('param').reportId);
			if (c.req.valid('query').format === 'md') {
				const name = `${detail.title.replace(/[^\w.@-]+/g, '-')}.md`;
				return c.body(renderReportMarkdown(detail, c.env.PUBLIC_BASE_URL), 200, {
					'Content-Type': 'text/markdown; charset=utf-8',
					'Content-Disposition': `attachment; filename="${name}"`
				}) as never;
			}
			return c.json(detail, 200);
		})
		.openapi(retry, async (c) => c.json(await retryReport(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').reportId), 202))
		.openapi(remove, async (c) => {
			await deleteReport(c.get('db'), c.env.FILES, requirePrincipal(c), c.req.valid('param').reportId);
			return c.body(null, 204);
		})
		.openapi(readSettings, async (c) =>
			c.json(await getReportSettings(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId), 200)
		)
		.openapi(updateSettings, async (c) =>
			c.json(await updateReportSettings(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('json')), 200)
		);
}
