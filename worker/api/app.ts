import { HTTPException } from 'hono/http-exception';
import type { Context } from 'hono';
import { ApiError } from '../lib/errors';
import { logError } from '../lib/log';
import { currentRequestId } from '../lib/request-context';
import { apiResponseHeaders, limitBodySize, limitDeclaredBodySize, requireJsonBodies } from './middleware/request-guards';
import { UPLOAD_MAX_BODY_BYTES } from '../services/records';
import { createRouter, type AppEnv } from './context';
import { apiKeyRoutes } from './api-keys';
import { authRoutes } from './auth';
import { authenticate } from './middleware/authenticate';
import { readReplicas } from './middleware/read-replicas';
import { billingRoutes } from './billing';
import { devRoutes } from './dev';
import { healthRoutes } from './health';
import { interviewerRoutes } from './interviewers';
import { invitationRoutes } from './invitations';
import { linkRoutes } from './links';
import { liveInterviewRoutes } from './live-interviews';
import { meRoutes } from './me';
import { metricsRoutes } from './metrics';
import { openApiDocumentConfig, registerSecuritySchemes } from './openapi-document';
import { privacyRoutes } from './privacy';
import { projectRoutes } from './projects';
import { screenerRoutes } from './screeners';
import { publicLinkRoutes } from './public-links';
import { recordRoutes, uploadPaths } from './records';
import { reportRoutes } from './reports';
import { webhookRoutes } from './webhooks';
import { workspaceAiRoutes } from './workspace-ai';
import { workspaceRoutes } from './workspaces';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function toApiError(error: unknown): ApiError | null {
	if (error instanceof ApiError) return error;
	if (error instanceof HTTPException) {
		if (error.status === 400) return new ApiError('invalid_json', 'The request body is not valid JSON.');
		if (error.status === 413) return new ApiError('payload_too_large', 'The request body is too large.');
	}
	return null;
}

function renderError(error: unknown, c: Context<AppEnv>) {
	const known = toApiError(error);
	if (known) return c.json(known.toBody(), known.status as 400);
	logError('api.unhandled', error, { method: c.req.method, path: c.req.path });
	return c.json(new ApiError('internal', 'Something went wrong on our side. Please try again.').toBody(), 500);
}

/** The Hono app behind /api/*: guards, routes, one error handler and the OpenAPI document. */
export function createApi() {
	const app = createRouter();

	app.use('*', apiResponseHeaders);
	app.use('*', async (c, next) => {
		await next();
		const requestId = currentRequestId();
		if (requestId) c.header('X-Request-Id', requestId);
	});
	app.use('*', (c, next) => {
		const configured = Number(c.env.MAX_BODY_BYTES);
		const max = Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_MAX_BODY_BYTES;
		if (uploadPaths(c.req.method, c.req.path).length > 0) return limitDeclaredBodySize(UPLOAD_MAX_BODY_BYTES)(c, next);
		return limitBodySize(max)(c, next);
	});
	app.use('*', (c, next) => requireJsonBodies(['/api/billing/webhook', ...uploadPaths(c.req.method, c.req.path)])(c, next));
	app.use('*', readReplicas);
	app.use('*', (c, next) => (c.req.path.startsWith('/api/auth/') ? next() : authenticate(c, next)));

	// One chain, so the type of the result carries every route's schema for the typed web client.
	const api = app
		.route('/api', healthRoutes())
		.route('/api', authRoutes())
		.route('/api', meRoutes())
		.route('/api', workspaceRoutes())
		.route('/api', workspaceAiRoutes())
		.route('/api', invitationRoutes())
		.route('/api', apiKeyRoutes())
		.route('/api', projectRoutes())
		.route('/api', privacyRoutes())
		.route('/api', screenerRoutes())
		.route('/api', interviewerRoutes())
		.route('/api', linkRoutes())
		.route('/api', liveInterviewRoutes())
		.route('/api', publicLinkRoutes())
		.route('/api', metricsRoutes())
		.route('/api', devRoutes())
		.route('/api', billingRoutes())
		.route('/api', recordRoutes())
		.route('/api', reportRoutes())
		.route('/api', webhookRoutes());

	registerSecuritySchemes(api);
	api.doc31('/api/openapi.json', (c) => openApiDocumentConfig(c.env.PUBLIC_BASE_URL));

	api.notFound((c) => c.json(new ApiError('not_found', `No API route for ${c.req.method} ${c.req.path}.`).toBody(), 404));
	api.onError(renderError);
	return api;
}

/**
 * The API's routes and their request and response types: what `hono/client` builds the web's typed
 * client from (through the declarations `npm run types:api` emits).
 * @public
 */
export type AppType = ReturnType<typeof createApi>;
