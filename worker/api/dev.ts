import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { devOutbox } from '../db/schema';
import { clockOffset, now, setClockOffset } from '../lib/clock';
import { ApiError } from '../lib/errors';
import { isLoopbackUrl } from '../lib/origins';
import { loopbackRequestsOnly } from './middleware/request-guards';
import { createRouter } from './context';
import { ERRORS, json, jsonBody } from './openapi';
import { PUBLIC } from './openapi-document';

const Outbox = z.object({
	messages: z.array(z.object({ to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() }))
});

const route = createRoute({
	method: 'get',
	path: '/dev/outbox',
	operationId: 'getDevOutbox',
	...PUBLIC,
	tags: ['development'],
	summary: 'Mail kept by the dev mailer (loopback servers without a mail relay, reached on a loopback address, only)',
	middleware: [loopbackRequestsOnly] as const,
	request: { query: z.object({ to: z.email().max(254) }) },
	responses: { 200: json(Outbox, 'Newest first'), 404: ERRORS[404] }
});

/** Ten years either way: further than any expiry a link can have, near enough to stay a real date. */
const MAX_CLOCK_OFFSET_MS = 10 * 366 * 24 * 60 * 60_000;

const Clock = z.object({
	offsetMs: z.number().int().describe('How far the server clock is moved from real time'),
	now: z.string().describe('The server clock now (ISO 8601)')
});

const clockRoute = createRoute({
	method: 'put',
	path: '/dev/clock',
	operationId: 'setDevClock',
	...PUBLIC,
	tags: ['development'],
	summary:
		'Moves the server clock (link expiry, the sweeps, the link views) by offsetMs from real time; 0 puts it back (loopback servers reached on a loopback address only)',
	middleware: [loopbackRequestsOnly] as const,
	request: jsonBody(z.object({ offsetMs: z.number().int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS) }), { offsetMs: 86_400_000 }),
	responses: { 200: json(Clock, 'The clock as it is now'), 400: ERRORS[400], 404: ERRORS[404] }
});

/** The dev routes answer only on a loopback server: its configured base URL, and the request's own, are both loopback. */
function requireLoopbackServer(env: Env, route: string) {
	if (!isLoopbackUrl(env.PUBLIC_BASE_URL)) throw new ApiError('not_found', `No API route for ${route}.`);
}

export function devRoutes() {
	return createRouter()
		.openapi(route, async (c) => {
			const env = c.env as Env & { MAIL_WEBHOOK_URL?: string };
			requireLoopbackServer(env, 'GET /api/dev/outbox');
			if (env.MAIL_WEBHOOK_URL) throw new ApiError('not_found', 'No API route for GET /api/dev/outbox.');
			const rows = await c
				.get('db')
				.select()
				.from(devOutbox)
				.where(eq(devOutbox.to, c.req.valid('query').to.toLowerCase()))
				.orderBy(desc(devOutbox.createdAt))
				.limit(20);
			return c.json(
				{ messages: rows.map((row) => ({ to: row.to, subject: row.subject, text: row.text, createdAt: row.createdAt.toISOString() })) },
				200
			);
		})
		.openapi(clockRoute, (c) => {
			requireLoopbackServer(c.env, 'PUT /api/dev/clock');
			setClockOffset(c.req.valid('json').offsetMs);
			return c.json({ offsetMs: clockOffset(), now: new Date(now()).toISOString() }, 200);
		});
}
