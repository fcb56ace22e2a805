import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Metrics } from '../../contracts/metrics';
import type { Database } from '../../db/client';
import { interview, questionCoverage, record } from '../../db/schema';

const median = (values: number[]): number | null => {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
};

/** Per guide question across the scope's records: interviews, answered, skipped, and the median seconds of the answered ones. */
export async function questionMetrics(db: Database, workspaceId: string, scope: SQL): Promise<Metrics['questions']> {
	const where = and(eq(questionCoverage.workspaceId, workspaceId), scope);
	const [totals, answered] = await Promise.all([
		db
			.select({
				questionId: questionCoverage.questionId,
				question: sql<string>`max(${questionCoverage.question})`,
				section: sql<string>`max(${questionCoverage.section})`,
				required: sql<number>`max(${questionCoverage.required})`,
				position: sql<number>`min(${questionCoverage.position})`,
				interviews: count(),
				answered: sql<number>`sum(case when ${questionCoverage.status} = 'answered' then 1 else 0 end)`,
				skipped: sql<number>`sum(case when ${questionCoverage.status} = 'skipped' then 1 else 0 end)`
			})
			.from(questionCoverage)
			.innerJoin(record, eq(record.id, questionCoverage.recordId))
			.leftJoin(interview, eq(interview.id, record.interviewId))
			.where(where)
			.groupBy(questionCoverage.questionId)
			.orderBy(asc(sql`5`)),
		db
			.select({ questionId: questionCoverage.questionId, seconds: questionCoverage.seconds })
			.from(questionCoverage)
			.innerJoin(record, eq(record.id, questionCoverage.recordId))
			.leftJoin(interview, eq(interview.id, record.interviewId))
			.where(and(where, eq(questionCoverage.status, 'answered')))
	]);
	const seconds = new Map<string, number[]>();
	for (const row of answered) seconds.set(row.questionId, [...(seconds.get(row.questionId) ?? []), row.seconds]);
	return totals.map((row) => ({
		questionId: row.questionId,
		question: row.question,
		section: row.section,
		required: Number(row.required) === 1,
		interviews: Number(row.interviews),
		answered: Number(row.answered ?? 0),
		skipped: Number(row.skipped ?? 0),
		medianSeconds: median(seconds.get(row.questionId) ?? [])
	}));
}

/** How finished interviews ended, most frequent first, with each reason's share. */
export async function endReasonMetrics(db: Database, workspaceId: string, scope: SQL): Promise<Metrics['endReasons']> {
	const rows = await db
		.select({ reason: sql<string>`coalesce(${interview.endReason}, 'unknown')`, count: count() })
		.from(interview)
		.where(and(eq(interview.workspaceId, workspaceId), scope, sql`${interview.status} <> 'active'`))
		.groupBy(sql`1`)
		.orderBy(sql`2 desc`, sql`1`);
	const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
	return rows.map((row) => ({ reason: row.reason, count: Number(row.count), share: total > 0 ? Number(row.count) / total : 0 }));
}
