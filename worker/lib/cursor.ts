import { and, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { ApiError } from './errors';

/**
 * The one cursor every list endpoint hands out: the last row's creation time and id, so a page starts strictly after
 * it in "newest first, ties by id" order and rows written meanwhile never shift or repeat a page. Opaque base64url.
 */
export type CursorKey = { createdAt: Date; id: string };

export const encodeCursor = ({ createdAt, id }: CursorKey) =>
	btoa(`${createdAt.getTime()}:${id}`).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

export function decodeCursor(cursor: string): CursorKey {
	let text = '';
	try {
		text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
	} catch {
		// Falls through to the refusal below.
	}
	const match = /^(\d{1,15}):(.{1,80})$/.exec(text);
	if (!match) throw new ApiError('invalid_request', 'The cursor is not one this list gave out.', { field: 'cursor' });
	return { createdAt: new Date(Number(match[1])), id: match[2]! };
}

/**
 * The rows after the cursor in `ORDER BY createdAt DESC, id DESC` (or both ASC, for lists read oldest first);
 * undefined (no condition) on the first page.
 */
export function afterCursor(
	createdAt: SQLiteColumn,
	id: SQLiteColumn,
	cursor: string | undefined,
	order: 'desc' | 'asc' = 'desc'
): SQL | undefined {
	if (!cursor) return undefined;
	const after = decodeCursor(cursor);
	const past = order === 'desc' ? lt : gt;
	return or(past(createdAt, after.createdAt), and(eq(createdAt, after.createdAt), past(id, after.id)));
}

/** Query `limit + 1` rows; this keeps `limit` and names the next page only when the extra row proved there is one. */
export function pageOf<Row>(rows: Row[], limit: number, key: (row: Row) => CursorKey): { rows: Row[]; nextCursor: string | null } {
	const shown = rows.slice(0, limit);
	const last = shown.at(-1);
	return { rows: shown, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
