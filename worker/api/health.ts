import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from './context';
import { PUBLIC } from './openapi-document';
import { checkHealth } from '../services/health';

const Check = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });
const Health = z.object({
	status: z.enum(['ok', 'degraded']),
	version: z.string().openapi({ description: 'The build that is serving: the package version and git commit, or "dev"' }),
	checks: z.object({ db: Check, kv: Check, r2: Check })
});

const route = createRoute({
	method: 'get',
	path: '/health',
	operationId: 'getHealth',
	...PUBLIC,
	tags: ['platform'],
	summary: 'Whether D1, KV and R2 answer, and which build is serving',
	responses: {
		200: { description: 'Every store answers', content: { 'application/json': { schema: Health } } },
		503: { description: 'At least one store failed', content: { 'application/json': { schema: Health } } }
	}
});

export function healthRoutes() {
	return createRouter().openapi(route, async (c) => {
		const health = { ...(await checkHealth(c.env)), version: c.env.BUILD_VERSION || 'dev' };
		return c.json(health, health.status === 'ok' ? 200 : 503);
	});
}
