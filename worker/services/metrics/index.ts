import { and, count, desc, eq, gte, sql, sum, type SQL } from 'drizzle-orm';
import type { Metrics } from '../../contracts/metrics';
import type { Database } from '../../db/client';
import { interview, interviewer, link, questionCoverage } from '../../db/schema';
import { endReasonMetrics, questionMetrics } from './coverage';
import { hasLowQualityRecord, lowQualityInterviews } from './quality';
import { notLowQuality } from '../records';

export { questionMetrics } from './coverage';
import type { Principal } from '../../lib/principal';
import { findInterviewerRow } from '../interviewers';
import { findProjectRow } from '../projects';

const DAYS = 30;

const statusCounts = {
	started: count(),
	active: sql<number>`sum(case when ${interview.status} = 'active' then 1 else 0 end)`,
	completed: sql<number>`sum(case when ${interview.status} = 'completed' then 1 else 0 end)`,
	abandoned: sql<number>`sum(case when ${interview.status} = 'abandoned' then 1 else 0 end)`,
	empty: sql<number>`sum(case when ${interview.status} = 'empty' then 1 else 0 end)`
};

type CountRow = { started: number; active: number | null; completed: number | null; abandoned: number | null; empty: number | null };
const asCounts = (row: CountRow) => ({
	started: Number(row.started),
	active: Number(row.active ?? 0),
	completed: Number(row.completed ?? 0),
	abandoned: Number(row.abandoned ?? 0),
	empty: Number(row.empty ?? 0)
});

/**
 * Interview, link and token figures for one scope (a project, or one interviewer of it). Interviews
 * whose record is flagged low quality are left out (and counted) unless `includeLowQuality`.
 */
async function metricsFor(
	db: Database,
	workspaceId: string,
	given: { interviews: SQL; links: SQL; coverage: SQL },
	includeLowQuality: boolean
): Promise<Metrics> {
	const excludedLowQuality = includeLowQuality ? 0 : await lowQualityInterviews(db, workspaceId, given.interviews);
	const scope = includeLowQuality
		? given
		: { ...given, interviews: and(given.interviews, sql`NOT ${hasLowQualityRecord}`)!, coverage: and(given.coverage, notLowQuality)! };
	const inWorkspace = eq(interview.workspaceId, workspaceId);
	const since = new Date(Date.now() - DAYS * 24 * 60 * 60_000);
	const [totals, linkRows, perInterviewer, perLink, daily, endReasons, questions, spent] = await Promise.all([
		db
			.select({
				...statusCounts,
				// Empty interviews (nobody answered) would only drag the durations down.
				duration: sql<number>`sum(case when ${interview.status} <> 'empty' then ${interview.usedMs} end)`,
				ended: sql<number>`sum(case when ${interview.usedMs} is not null and ${interview.status} <> 'empty' then 1 else 0 end)`
			})
			.from(interview)
			.where(and(inWorkspace, scope.interviews))
			.get(),
		db
			.select({ status: link.status, total: count() })
			.from(link)
			.where(and(eq(link.workspaceId, workspaceId), scope.links))
			.groupBy(link.status),
		db
			.select({ interviewerId: interview.interviewerId, name: interviewer.name, ...statusCounts })
			.from(interview)
			.innerJoin(interviewer, eq(interviewer.id, interview.interviewerId))
			.where(and(inWorkspace, scope.interviews))
			.groupBy(interview.interviewerId, interviewer.name),
		db
			.select({ linkId: interview.linkId, name: link.name, kind: link.kind, ...statusCounts })
			.from(interview)
			.innerJoin(link, eq(link.id, interview.linkId))
			.where(and(inWorkspace, scope.interviews, sql`${link.kind} <> 'single'`))
			.groupBy(interview.linkId, link.name, link.kind)
			.orderBy(desc(count()))
			.limit(100),
		db
			.select({ date: sql<string>`date(${interview.startedAt} / 1000, 'unixepoch')`, started: count(), completed: statusCounts.completed })
			.from(interview)
			.where(and(inWorkspace, scope.interviews, gte(interview.startedAt, since)))
			.groupBy(sql`1`)
			.orderBy(sql`1`),
		endReasonMetrics(db, workspaceId, scope.interviews),
		questionMetrics(db, workspaceId, scope.coverage),
		// Tokens were spent whatever the answers were worth: the charge counts every interview of the scope.
		db
			.select({ charged: sum(interview.chargedTokens) })
			.from(interview)
			.where(and(inWorkspace, given.interviews))
			.get()
	]);
	const counts = asCounts(totals ?? { started: 0, active: 0, completed: 0, abandoned: 0, empty: 0 });
	const ended = Number(totals?.ended ?? 0);
	const totalDurationMs = Number(totals?.duration ?? 0);
	const finished = counts.completed + counts.abandoned;
	return {
		links: {
			total: linkRows.reduce((total, row) => total + row.total, 0),
			byStatus: Object.fromEntries(linkRows.map((row) => [row.status, row.total]))
		},
		interviews: {
			...counts,
			completionRate: finished > 0 ? counts.completed / finished : null,
			averageDurationMs: ended > 0 ? Math.round(totalDurationMs / ended) : null,
			totalDurationMs
		},
		tokensCharged: Number(spent?.charged ?? 0),
		byInterviewer: perInterviewer.map((row) => ({ interviewerId: row.interviewerId, name: row.name, ...asCounts(row) })),
		byLink: perLink.map((row) => ({ linkId: row.linkId, name: row.name, kind: row.kind, ...asCounts(row) })),
		daily: daily.map((row) => ({ date: row.date, started: Number(row.started), completed: Number(row.completed ?? 0) })),
		endReasons,
		questions,
		quality: { includeLowQuality, excludedLowQuality }
	};
}

export async function projectMetrics(db: Database, principal: Principal, projectId: string, includeLowQuality = false): Promise<Metrics> {
	await findProjectRow(db, principal, projectId);
	return metricsFor(
		db,
		principal.workspaceId,
		{
			interviews: eq(interview.projectId, projectId),
			links: eq(link.projectId, projectId),
			coverage: eq(questionCoverage.projectId, projectId)
		},
		includeLowQuality
	);
}

export async function interviewerMetrics(
	db: Database,
	principal: Principal,
	interviewerId: string,
	includeLowQuality = false
): Promise<Metrics> {
	await findInterviewerRow(db, principal, interviewerId);
	return metricsFor(
		db,
		principal.workspaceId,
		{
			interviews: eq(interview.interviewerId, interviewerId),
			links: eq(link.interviewerId, interviewerId),
			coverage: eq(interview.interviewerId, interviewerId)
		},
		includeLowQuality
	);
}
