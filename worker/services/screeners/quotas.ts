import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { ProjectQuotas, QuotaFill, ScreenerQuestion } from '../../contracts/screeners';
import type { LocalText, Quotas } from '../../contracts/screeners';
import { runBatch, type Database, type Statement } from '../../db/client';
import { link, quota } from '../../db/schema';
import { newId } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';
import { quotaFills } from './fill';
import { screenerQuestions } from './questions';

type QuotaRow = typeof quota.$inferSelect;
type QuotaInput = Quotas['quotas'][number];

const formatNumber = (value: number) => String(value);

/** A segment in words: the option's text, or the range ("18–24", "65+", "up to 17"). */
export function segmentLabel(
	row: Pick<QuotaRow, 'questionId' | 'optionId' | 'min' | 'max'>,
	questions: readonly ScreenerQuestion[]
): LocalText {
	const question = questions.find((candidate) => candidate.id === row.questionId);
	if (question && question.kind !== 'number') {
		const option = question.options.find((candidate) => candidate.id === row.optionId);
		if (option) return option.text;
	}
	if (row.min !== null && row.max !== null) {
		const range = row.min === row.max ? formatNumber(row.min) : `${formatNumber(row.min)}–${formatNumber(row.max)}`;
		return { en: range, ru: range };
	}
	if (row.min !== null) return { en: `${formatNumber(row.min)}+`, ru: `${formatNumber(row.min)}+` };
	if (row.max !== null) return { en: `up to ${formatNumber(row.max)}`, ru: `до ${formatNumber(row.max)}` };
	return { en: row.questionId, ru: row.questionId };
}

/**
 * Every quota of a project with its fill, in the order they were added (one batch's in its own
 * order), and how many respondents each link's screener turned away.
 */
export async function listQuotas(db: Database, principal: Principal, projectId: string): Promise<ProjectQuotas> {
	const projectRow = await findProjectRow(db, principal, projectId);
	const questions = screenerQuestions(projectRow.screener);
	const [rows, links] = await Promise.all([
		db.query.quota.findMany({ where: eq(quota.projectId, projectId), orderBy: [quota.createdAt, sql`rowid`] }),
		db
			.select({ linkId: link.id, count: link.screenedOut })
			.from(link)
			.where(and(eq(link.projectId, projectId), eq(link.workspaceId, principal.workspaceId)))
	]);
	const fills = await quotaFills(
		db,
		rows.map((row) => row.id)
	);
	return {
		quotas: rows.map((row): QuotaFill => ({
			id: row.id,
			linkId: row.linkId,
			questionId: row.questionId,
			optionId: row.optionId,
			min: row.min,
			max: row.max,
			cap: row.cap,
			filled: fills.get(row.id) ?? 0,
			label: segmentLabel(row, questions)
		})),
		screenedOut: links.filter((row) => row.count > 0)
	};
}

function checkQuota(input: QuotaInput, index: number, questions: readonly ScreenerQuestion[], linkIds: ReadonlySet<string>): void {
	const fail = (message: string) => {
		throw new ApiError('unprocessable', message, { quota: index });
	};
	const question = questions.find((candidate) => candidate.id === input.questionId);
	if (!question) fail('A quota names a screener question this project does not have.');
	if (input.linkId !== null && !linkIds.has(input.linkId)) fail('A quota names a link this project does not have.');
	if (question!.kind === 'number') {
		if (input.optionId !== null) fail('A number question’s quota takes a range, not an option.');
		if (input.min === null && input.max === null) fail('A number question’s quota needs a range (from, to, or both).');
		return;
	}
	if (input.min !== null || input.max !== null) fail('A choice question’s quota takes an option, not a range.');
	if (!question!.options.some((option) => option.id === input.optionId)) fail('A quota names an option its question does not have.');
}

const segmentKey = (row: Pick<QuotaRow, 'linkId' | 'questionId' | 'optionId' | 'min' | 'max'>) =>
	JSON.stringify([row.linkId, row.questionId, row.optionId, row.min, row.max]);

/**
 * Replaces a project's quotas. A quota on the same segment (link, question, option or range) keeps
 * its id and so its fill, and only its cap changes; the others are added or removed. A cap below
 * the fill simply admits nobody more in that segment.
 */
export async function saveQuotas(db: Database, principal: Principal, projectId: string, body: Quotas): Promise<ProjectQuotas> {
	const projectRow = await findProjectRow(db, principal, projectId);
	const questions = screenerQuestions(projectRow.screener);
	const projectLinks = await db
		.select({ id: link.id })
		.from(link)
		.where(and(eq(link.projectId, projectId), eq(link.workspaceId, principal.workspaceId)));
	const linkIds = new Set(projectLinks.map((row) => row.id));
	body.quotas.forEach((input, index) => checkQuota(input, index, questions, linkIds));
	const keys = body.quotas.map(segmentKey);
	if (new Set(keys).size !== keys.length)
		throw new ApiError('unprocessable', 'Each segment has one quota per link (or one for the whole project).');

	const existing = await db.query.quota.findMany({ where: eq(quota.projectId, projectId) });
	const byKey = new Map(existing.map((row) => [segmentKey(row), row]));
	const wanted = new Set(keys);
	const statements: Statement[] = [];
	const removed = existing.filter((row) => !wanted.has(segmentKey(row))).map((row) => row.id);
	if (removed.length) statements.push(db.delete(quota).where(and(eq(quota.projectId, projectId), inArray(quota.id, removed))));
	for (const input of body.quotas) {
		const kept = byKey.get(segmentKey(input));
		if (kept) statements.push(db.update(quota).set({ cap: input.cap }).where(eq(quota.id, kept.id)));
		else statements.push(db.insert(quota).values({ id: newId(), workspaceId: principal.workspaceId, projectId, ...input }));
	}
	await runBatch(db, statements);
	return listQuotas(db, principal, projectId);
}

/** The quotas a join falls into: the project's and its link's, on the segments of its answers. */
export async function matchingQuotas(
	db: Database,
	target: { projectId: string; linkId: string },
	given: readonly { questionId: string; optionIds: string[]; value: number | null }[]
): Promise<QuotaRow[]> {
	if (given.length === 0) return [];
	const rows = await db.query.quota.findMany({
		where: and(eq(quota.projectId, target.projectId), or(isNull(quota.linkId), eq(quota.linkId, target.linkId)))
	});
	return rows.filter((row) => {
		const answer = given.find((candidate) => candidate.questionId === row.questionId);
		if (!answer) return false;
		if (row.optionId !== null) return answer.optionIds.includes(row.optionId);
		if (answer.value === null) return false;
		return (row.min === null || answer.value >= row.min) && (row.max === null || answer.value <= row.max);
	});
}
