import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { LinkOption, LinkRecords } from '../../contracts/links';
import type { Database } from '../../db/client';
import { inJsonList } from '../../db/in-list';
import { interviewer, link, record } from '../../db/schema';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { effectiveStatus } from './view';

/** A project has at most a few thousand links; the records filter lists them all. */
const OPTIONS_LIMIT = 5_000;

/**
 * Every link of a project, deleted ones included (their records stay), for choosing one in the
 * records filter: by interviewer, newest first.
 */
export async function listProjectLinks(db: Database, principal: Principal, projectId: string): Promise<LinkOption[]> {
	await findProjectRow(db, principal, projectId);
	const rows = await db
		.select({ row: link, interviewerName: interviewer.name })
		.from(link)
		.innerJoin(interviewer, eq(interviewer.id, link.interviewerId))
		.where(and(eq(link.workspaceId, principal.workspaceId), eq(link.projectId, projectId)))
		.orderBy(asc(interviewer.name), desc(link.createdAt), desc(link.id))
		.limit(OPTIONS_LIMIT);
	const now = Date.now();
	return rows.map(({ row, interviewerName }) => ({
		id: row.id,
		name: row.name,
		kind: row.kind,
		status: effectiveStatus(row, now),
		interviewerId: row.interviewerId,
		interviewerName
	}));
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
