import { and, eq, isNull } from 'drizzle-orm';
import type { LinkKind } from '../../contracts/links';
import type { Database } from '../../db/client';
import { interview, link, project, record } from '../../db/schema';
import { interviewObjectName } from './admission';

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
		status: found.status,
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
