import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createSessionDatabase } from '../../db/client';
import { BOOKMARK_COOKIE, BOOKMARK_HEADER, openRequestSession, parseBookmark } from '../../db/read-session';
import type { AppEnv } from '../context';

/** A bookmark only needs to outlive a burst of work; an expired one just means the next read starts at the primary. */
const BOOKMARK_MAX_AGE_SECONDS = 60 * 60;

/**
 * Runs the request's queries in one D1 session (read replication) and hands back the session's
 * latest bookmark: in the `x-d1-bookmark` header always, and in a cookie for the dashboard, so the
 * researcher's next read sees what this request wrote. Authentication reads the primary on its own
 * (a revoked key or membership stops at once), so only the route's own queries use replicas.
 */
export const readReplicas: MiddlewareHandler<AppEnv> = async (c, next) => {
	const carried = parseBookmark(c.req.header(BOOKMARK_HEADER)) ?? parseBookmark(getCookie(c, BOOKMARK_COOKIE));
	const session = openRequestSession(c.env.DB, c.req.method, carried);
	c.set('db', createSessionDatabase(session));
	await next();
	const latest = parseBookmark(session.getBookmark()) ?? carried;
	if (!latest) return;
	c.header(BOOKMARK_HEADER, latest);
	if (c.get('principal')?.method === 'session') {
		setCookie(c, BOOKMARK_COOKIE, latest, {
			path: '/api',
			httpOnly: true,
			sameSite: 'Lax',
			secure: c.env.PUBLIC_BASE_URL.startsWith('https://'),
			maxAge: BOOKMARK_MAX_AGE_SECONDS
		});
	}
};
