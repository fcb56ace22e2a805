import { and, eq, inArray, isNull, not, or } from 'drizzle-orm';
import { Screener, type PublicScreenerQuestion, type ScreenerQuestion } from '../../contracts/screeners';
import { runBatch, type Database } from '../../db/client';
import { project, quota } from '../../db/schema';
import type { Principal } from '../../lib/principal';
import { findProjectRow } from '../projects';

/** A project's screener as stored; a row that no longer parses reads as no screener. */
export function screenerQuestions(stored: unknown): ScreenerQuestion[] {
	const parsed = Screener.safeParse({ questions: stored });
	return parsed.success ? parsed.data.questions : [];
}

export async function getScreener(db: Database, principal: Principal, projectId: string): Promise<Screener> {
	return { questions: screenerQuestions((await findProjectRow(db, principal, projectId)).screener) };
}

/**
 * Replaces a project's screener. Quotas on segments it no longer has (a removed question or option,
 * or a question that changed kind) go in the same batch, so no quota points at nothing. Links
 * already created ask the new questions from their next join.
 */
export async function saveScreener(db: Database, principal: Principal, projectId: string, screener: Screener): Promise<Screener> {
	await findProjectRow(db, principal, projectId);
	const kept = screener.questions.map((question) =>
		question.kind === 'number'
			? and(eq(quota.questionId, question.id), isNull(quota.optionId))!
			: and(
					eq(quota.questionId, question.id),
					inArray(
						quota.optionId,
						question.options.map((option) => option.id)
					)
				)!
	);
	await runBatch(db, [
		db
			.update(project)
			.set({ screener: screener.questions, updatedAt: new Date() })
			.where(and(eq(project.id, projectId), eq(project.workspaceId, principal.workspaceId))),
		db.delete(quota).where(and(eq(quota.projectId, projectId), ...(kept.length ? [not(or(...kept)!)] : [])))
	]);
	return screener;
}

/** The questions a respondent answers: their words and options, never which options qualify. */
export function publicScreener(questions: readonly ScreenerQuestion[]): PublicScreenerQuestion[] {
	return questions.map((question) => ({
		id: question.id,
		kind: question.kind,
		text: question.text,
		options: question.kind === 'number' ? [] : question.options.map((option) => ({ id: option.id, text: option.text }))
	}));
}
