import { createRoute, type z } from '@hono/zod-openapi';
import { ProjectQuotas, Quotas, Screener } from '../contracts/screeners';
import { getScreener, listQuotas, saveQuotas, saveScreener } from '../services/screeners';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody } from './openapi';

const tags = ['projects'];
const params = IdParam('projectId');

const SCREENER_EXAMPLE = {
	questions: [
		{
			id: 'platform',
			kind: 'single',
			text: { en: 'Which phone do you use?', ru: 'Каким телефоном вы пользуетесь?' },
			options: [
				{ id: 'ios', text: { en: 'iPhone', ru: 'iPhone' }, qualifies: true },
				{ id: 'android', text: { en: 'Android', ru: 'Android' }, qualifies: true },
				{ id: 'none', text: { en: 'I do not use a smartphone', ru: 'Не пользуюсь смартфоном' }, qualifies: false }
			]
		},
		{ id: 'age', kind: 'number', text: { en: 'How old are you?', ru: 'Сколько вам лет?' }, ranges: [{ min: 18, max: 65 }] }
	]
} satisfies z.input<typeof Screener>;

const readScreener = createRoute({
	method: 'get',
	path: '/projects/{projectId}/screener',
	operationId: 'getScreener',
	tags,
	summary: 'The screener questions links of this project can ask before consent',
	request: { params },
	responses: { 200: json(Screener, 'The screener'), ...ERRORS }
});
const writeScreener = createRoute({
	method: 'put',
	path: '/projects/{projectId}/screener',
	operationId: 'saveScreener',
	tags,
	summary: 'Replace the screener; quotas on options or questions it no longer has are removed',
	request: { params, ...jsonBody(Screener, SCREENER_EXAMPLE) },
	responses: { 200: json(Screener, 'Saved'), ...ERRORS }
});
const readQuotas = createRoute({
	method: 'get',
	path: '/projects/{projectId}/quotas',
	operationId: 'listQuotas',
	tags,
	summary: "The project's quotas with their fill, and how many respondents each link screened out",
	request: { params },
	responses: { 200: json(ProjectQuotas, 'Quotas'), ...ERRORS }
});
const writeQuotas = createRoute({
	method: 'put',
	path: '/projects/{projectId}/quotas',
	operationId: 'saveQuotas',
	tags,
	summary: 'Replace the quotas; one on the same segment keeps its fill',
	request: {
		params,
		...jsonBody(Quotas, { quotas: [{ linkId: null, questionId: 'platform', optionId: 'ios', min: null, max: null, cap: 5 }] })
	},
	responses: { 200: json(ProjectQuotas, 'Saved, with their fill'), ...ERRORS }
});

export function screenerRoutes() {
	return createRouter()
		.openapi(readScreener, async (c) => c.json(await getScreener(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId), 200))
		.openapi(writeScreener, async (c) => {
			const saved = await saveScreener(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('json'));
			return c.json(saved, 200);
		})
		.openapi(readQuotas, async (c) => c.json(await listQuotas(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId), 200))
		.openapi(writeQuotas, async (c) => {
			const saved = await saveQuotas(c.get('db'), requirePrincipal(c), c.req.valid('param').projectId, c.req.valid('json'));
			return c.json(saved, 200);
		});
}
