import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { LinkOption, LinkRecords } from '../../contracts/links';
import type { PageQuery } from '../../contracts/pagination';
import type { Database } from '../../db/client';
import { inJsonList } from '../../db/in-list';
import { interviewer, link, record } from '../../db/schema';
import { afterCursor, pageOf } from '../../lib/cursor';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { effectiveStatus } from './view';

/**
 * A page of the links of a project, deleted ones included (their records stay), for choosing one in the records
 * filter: newest first (ties by id).
 */
export async function listProjectLinks(
	db: Database,
	principal: Principal,
	projectId: string,
	page: PageQuery
): Promise<{ links: LinkOption[]; nextCursor: string | null }> {
	await findProjectRow(db, principal, projectId);
	const rows = await db
		.select({ row: link, interviewerName: interviewer.name })
		.from(link)
		.innerJoin(interviewer, eq(interviewer.id, link.interviewerId))
		.where(
			and(eq(link.workspaceId, principal.workspaceId), eq(link.projectId, projectId), afterCursor(link.createdAt, link.id, page.cursor))
		)
		.orderBy(desc(link.createdAt), desc(link.id))
		.limit(page.limit + 1);
	const now = Date.now();
	const shown = pageOf(rows, page.limit, ({ row }) => row);
	return {
		links: shown.rows.map(({ row, interviewerName }) => ({
			id: row.id,
			name: row.name,
			kind: row.kind,
			status: effectiveStatus(row, now),
			interviewerId: row.interviewerId,
			interviewerName
		})),
		nextCursor: shown.nextCursor
	};
}

/**
 * How many records each of an interviewer's links has, and its newest record, so a row can open
 * its record (single-use) or the records list filtered to it (multi-use).
 */
export async function recordsByLink(
	db: Database,
	principal: Principal,
	interviewerId: string,
	linkIds: string[]
): Promise<Map<string, LinkRecords>> {
	if (linkIds.length === 0) return new Map();
	const newest = sql<string>`(SELECT newest.id FROM record AS newest WHERE newest.link_id = ${record.linkId} AND newest.workspace_id = ${principal.workspaceId} AND newest.deleted_at IS NULL ORDER BY newest.created_at DESC, newest.id DESC LIMIT 1)`;
	const rows = await db
		.select({ linkId: record.linkId, count: count(), latestId: newest })
		.from(record)
		.innerJoin(link, and(eq(link.id, record.linkId), eq(link.workspaceId, principal.workspaceId)))
		.where(
			and(
				eq(record.workspaceId, principal.workspaceId),
				eq(link.interviewerId, interviewerId),
				inJsonList(record.linkId, linkIds),
				isNull(record.deletedAt)
			)
		)
		.groupBy(record.linkId);
	return new Map(rows.flatMap(({ linkId, count: total, latestId }) => (linkId ? [[linkId, { count: total, latestId }] as const] : [])));
}
