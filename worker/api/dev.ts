import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import { devOutbox } from '../db/schema';
import { ApiError } from '../lib/errors';
import { isLoopbackUrl } from '../lib/origins';
import { loopbackRequestsOnly } from './middleware/request-guards';
import { createRouter } from './context';
import { ERRORS, json } from './openapi';

const Outbox = z.object({
	messages: z.array(z.object({ to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() }))
});

const route = createRoute({
	method: 'get',
	path: '/dev/outbox',
	tags: ['development'],
	summary: 'Mail kept by the dev mailer (loopback servers without a mail relay, reached on a loopback address, only)',
	middleware: [loopbackRequestsOnly] as const,
	request: { query: z.object({ to: z.email().max(254) }) },
	responses: { 200: json(Outbox, 'Newest first'), 404: ERRORS[404] }
});

export function devRoutes() {
	return createRouter().openapi(route, async (c) => {
		const env = c.env as Env & { MAIL_WEBHOOK_URL?: string };
		if (!isLoopbackUrl(env.PUBLIC_BASE_URL) || env.MAIL_WEBHOOK_URL)
			throw new ApiError('not_found', 'No API route for GET /api/dev/outbox.');
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
	});
}
