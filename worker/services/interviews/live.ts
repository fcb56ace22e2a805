import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { LiveInterview } from '../../contracts/live';
import type { LinkKind } from '../../contracts/links';
import type { Database } from '../../db/client';
import { inJsonList } from '../../db/in-list';
import { interview, link, project, record } from '../../db/schema';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { interviewObjectName } from './admission';

/** The "Live now" list is for watching, not an archive: a project never has more running at once in practice. */
const LIVE_LIMIT = 200;

/**
 * Running now: D1 has it active and its deadline is ahead. One whose alarm was lost stays active in
 * D1 until the sweep ends it, but it is not live any more, so the deadline keeps it off the list.
 */
const running = (now: Date) => and(eq(interview.status, 'active'), gt(interview.deadlineAt, now));

/** The interviews running now in one of the caller's projects, newest first; 404 for another workspace's project. */
export async function listLiveInterviews(db: Database, principal: Principal, projectId: string): Promise<LiveInterview[]> {
	await findProjectRow(db, principal, projectId);
	const rows = await db
		.select({ interview, linkName: link.name, linkKind: link.kind })
		.from(interview)
		.innerJoin(link, eq(link.id, interview.linkId))
		.where(
			and(
				eq(link.workspaceId, principal.workspaceId),
				eq(interview.workspaceId, principal.workspaceId),
				eq(interview.projectId, projectId),
				running(new Date())
			)
		)
		.orderBy(desc(interview.startedAt), desc(interview.id))
		.limit(LIVE_LIMIT);
	return rows.map(({ interview: row, linkName, linkKind }) => ({
		id: row.id,
		projectId: row.projectId,
		interviewerId: row.interviewerId,
		link: { id: row.linkId, name: linkName, kind: linkKind },
		respondent: row.respondentEmail,
		startedAt: row.startedAt.toISOString(),
		deadlineAt: row.deadlineAt.toISOString()
	}));
}

/** The ids of the interviews running now on each of an interviewer's links (links with none are absent). */
export async function liveInterviewsByLink(
	db: Database,
	principal: Principal,
	interviewerId: string,
	linkIds: string[]
): Promise<Map<string, string[]>> {
	if (linkIds.length === 0) return new Map();
	const rows = await db
		.select({ id: interview.id, linkId: interview.linkId })
		.from(interview)
		.innerJoin(link, eq(link.id, interview.linkId))
		.where(
			and(
				eq(link.workspaceId, principal.workspaceId),
				eq(link.interviewerId, interviewerId),
				inJsonList(interview.linkId, linkIds),
				running(new Date())
			)
		)
		.orderBy(desc(interview.startedAt), desc(interview.id));
	const byLink = new Map<string, string[]>();
	for (const row of rows) byLink.set(row.linkId, [...(byLink.get(row.linkId) ?? []), row.id]);
	return byLink;
}

/** What an observer's socket needs to know about the interview it asked for, read from D1. */
export type ObservedInterview = {
	interviewId: string;
	projectId: string;
	/** The Interview Durable Object that holds it. */
	objectName: string;
	status: 'active' | 'completed' | 'abandoned';
	endReason: string | null;
	respondent: string | null;
	linkName: string;
	linkKind: LinkKind;
	startedAt: number;
	deadlineAt: number;
};

/**
 * The interview `interviewId` if it belongs to `workspaceId` and its project is not deleted; null
 * otherwise, whether it does not exist or is another workspace's (the caller cannot tell which).
 */
export async function findObservedInterview(db: Database, workspaceId: string, interviewId: string): Promise<ObservedInterview | null> {
	const row = await db
		.select({ interview, linkName: link.name, linkKind: link.kind })
		.from(interview)
		.innerJoin(link, eq(link.id, interview.linkId))
		.innerJoin(project, eq(project.id, interview.projectId))
		.where(and(eq(interview.id, interviewId), eq(interview.workspaceId, workspaceId), isNull(project.deletedAt)))
		.get();
	if (!row) return null;
	const { interview: found, linkName, linkKind } = row;
	return {
		interviewId: found.id,
		projectId: found.projectId,
		objectName: interviewObjectName(found, linkKind),
		// Observers know running and finished; an empty interview finished with nothing said.
		status: found.status === 'empty' ? 'completed' : found.status,
		endReason: found.endReason,
		respondent: found.respondentEmail,
		linkName,
		linkKind,
		startedAt: found.startedAt.getTime(),
		deadlineAt: found.deadlineAt.getTime()
	};
}

/** The record a finished interview became (none for one that never started, or whose record was deleted). */
export async function findInterviewRecordId(db: Database, interviewId: string): Promise<string | null> {
	const row = await db
		.select({ id: record.id })
		.from(record)
		.where(and(eq(record.interviewId, interviewId), isNull(record.deletedAt)))
		.get();
	return row?.id ?? null;
}
