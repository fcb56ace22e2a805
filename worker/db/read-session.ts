/**
 * D1 read replication through the Sessions API. A request reads through one D1 session: queries in
 * a session are sequentially consistent, and a session started from a bookmark only reads from a
 * replica at least as fresh as that bookmark. The bookmark a response carries back is what lets the
 * next request read its caller's own writes.
 */

/** A D1 bookmark as D1 hands them out: four hex groups, lexicographically ordered (the newest sorts last). */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The header API clients send a bookmark in and read the next one from. */
export const BOOKMARK_HEADER = 'x-d1-bookmark';
/** The cookie the dashboard carries its bookmark in, so every browser tab reads its researcher's writes. */
export const BOOKMARK_COOKIE = 'parley_d1_bookmark';

const READ_METHODS = new Set(['GET', 'HEAD']);

/** The bookmark if it has D1's shape; anything else (a stale format, a hand-written value) is ignored. */
export function parseBookmark(value: string | null | undefined): string | null {
	const trimmed = value?.trim().toLowerCase() ?? '';
	return BOOKMARK.test(trimmed) ? trimmed : null;
}

/**
 * The session a request's queries run in. Reads that carry a bookmark may go to any replica that
 * has caught up with it. Without one, the first query goes to the primary, so a caller that has
 * never been given a bookmark (a first page load, a fresh API client) still sees everything
 * committed before it asked. Mutations always start at the primary: the checks they make before
 * writing (caps, balances, roles) must not read a replica that lags behind another caller's write.
 */
export function openRequestSession(d1: D1Database, method: string, bookmark: string | null): D1DatabaseSession {
	if (READ_METHODS.has(method) && bookmark) return d1.withSession(bookmark);
	return d1.withSession('first-primary');
}
