import { eq, inArray, sql } from 'drizzle-orm';
import type { RecordedAnswer, ScreenerAnswers } from '../../contracts/screeners';
import type { Database } from '../../db/client';
import { link, project, quota } from '../../db/schema';
import type { Refusal } from '../../lib/socket';
import { SCREENER_REFUSALS, screenAnswers } from './evaluate';
import { quotaFills } from './fill';
import { matchingQuotas } from './quotas';
import { screenerQuestions } from './questions';

/** What a join's screener decided: admit it (with its answers and the quotas it counts towards), or refuse it. */
export type ScreenedJoin = { ok: true; recorded: RecordedAnswer[] | null; quotaIds: string[] } | { ok: false; refusal: Refusal };

const UNSCREENED: ScreenedJoin = { ok: true, recorded: null, quotaIds: [] };

/** The screener questions a link asks now: its project's, when the link turns the screener on. */
export async function linkScreener(db: Database, row: { projectId: string; screenerEnabled: boolean }) {
	if (!row.screenerEnabled) return [];
	const owner = await db.query.project.findFirst({ columns: { screener: true }, where: eq(project.id, row.projectId) });
	return screenerQuestions(owner?.screener);
}

/** Whether any of these quotas is full now (a join that lost the admission race to one). */
export async function anyQuotaFull(db: Database, quotaIds: readonly string[]): Promise<boolean> {
	if (quotaIds.length === 0) return false;
	const rows = await db.query.quota.findMany({ columns: { id: true, cap: true }, where: inArray(quota.id, [...quotaIds]) });
	const fills = await quotaFills(db, quotaIds);
	return rows.some((row) => (fills.get(row.id) ?? 0) >= row.cap);
}

/**
 * Screens a new join before anything is written: its answers against the link's screener, then the
 * quotas they fall into. A disqualified respondent only adds one to the link's screened-out count
 * (no interview, no use, no reservation); a full quota refuses with its own code. The admission
 * batch checks the quotas again, atomically, since others may be joining at the same moment.
 */
export async function screenJoin(
	db: Database,
	row: { id: string; projectId: string; screenerEnabled: boolean },
	answers: ScreenerAnswers | null
): Promise<ScreenedJoin> {
	const questions = await linkScreener(db, row);
	if (questions.length === 0) return UNSCREENED;
	const screening = screenAnswers(questions, answers);
	if (!screening.ok) {
		if (screening.reason === 'disqualified') {
			await db
				.update(link)
				.set({ screenedOut: sql`${link.screenedOut} + 1` })
				.where(eq(link.id, row.id));
		}
		return { ok: false, refusal: screening.refusal };
	}
	const quotas = await matchingQuotas(db, { projectId: row.projectId, linkId: row.id }, screening.given);
	const quotaIds = quotas.map((quota) => quota.id);
	const fills = await quotaFills(db, quotaIds);
	if (quotas.some((quota) => (fills.get(quota.id) ?? 0) >= quota.cap)) return { ok: false, refusal: SCREENER_REFUSALS.quotaFull };
	return { ok: true, recorded: screening.recorded, quotaIds };
}
