import type { ProgressReport } from '../worker/ai/provider';
import type { Plan, QuestionCoverage } from './plan';

/** A turn on the interview timeline, as evidence for a report. */
export type TurnOnTimeline = { id: string; role: 'interviewer' | 'respondent'; atMs: number };

export type Evidence = { turns: readonly TurnOnTimeline[]; nowMs: number; timeShort: boolean };

export type ProgressOutcome = { ok: true; coverage: QuestionCoverage; changed: boolean } | { ok: false; reason: string };

const refused = (reason: string): ProgressOutcome => ({ ok: false, reason });

/** The respondent's turns after the one that asked (by order in the transcript; by time when that turn is unknown). */
function answersSince(evidence: Evidence, asked: Pick<QuestionCoverage, 'askedTurnId' | 'askedAtMs'>): string[] {
	const index = asked.askedTurnId ? evidence.turns.findIndex((turn) => turn.id === asked.askedTurnId) : -1;
	const after = index >= 0 ? evidence.turns.slice(index + 1) : evidence.turns.filter((turn) => turn.atMs > (asked.askedAtMs ?? Infinity));
	return after.filter((turn) => turn.role === 'respondent').map((turn) => turn.id);
}

/**
 * Applies one report to a question's coverage, trusting nothing the transcript does not show: a
 * question is asked by the interviewer's latest turn; it is answered only once the respondent has
 * spoken since; a required question is skipped only when time runs short or the respondent had their
 * say (declined). Unknown questions, reports out of order and repeats change nothing.
 */
export function applyProgress(
	plan: Plan,
	coverage: readonly QuestionCoverage[],
	report: ProgressReport,
	evidence: Evidence
): ProgressOutcome {
	const question = plan.questions.find((candidate) => candidate.id === report.questionId);
	const current = coverage.find((entry) => entry.questionId === report.questionId);
	if (!question || !current) return refused(`unknown question "${report.questionId}"`);
	const note = report.note?.trim().slice(0, 500) || current.note;
	const keep: ProgressOutcome = { ok: true, coverage: current, changed: false };

	switch (report.status) {
		case 'asked': {
			if (current.status === 'asked') return keep;
			if (current.status === 'answered') return refused(`"${question.id}" is already answered`);
			const askedBy = [...evidence.turns].reverse().find((turn) => turn.role === 'interviewer');
			return {
				ok: true,
				changed: true,
				coverage: { ...current, status: 'asked', askedTurnId: askedBy?.id ?? null, askedAtMs: askedBy?.atMs ?? evidence.nowMs, note }
			};
		}
		case 'answered': {
			if (current.status === 'pending' || current.status === 'skipped' || current.askedAtMs === null)
				return refused(`"${question.id}" was not asked`);
			const answers = answersSince(evidence, current);
			if (answers.length === 0) return refused(`nobody has answered "${question.id}" since it was asked`);
			const changed = current.status !== 'answered' || answers.length !== current.answeredTurnIds.length;
			const spentMs = Math.max(0, evidence.nowMs - current.askedAtMs);
			return { ok: true, changed, coverage: { ...current, status: 'answered', answeredTurnIds: answers, spentMs, note } };
		}
		case 'skipped': {
			if (current.status === 'skipped') return keep;
			if (current.status === 'answered') return refused(`"${question.id}" is already answered`);
			const declined = current.askedAtMs !== null && answersSince(evidence, current).length > 0;
			if (question.required && !evidence.timeShort && !declined) {
				return refused(`"${question.id}" is required: skip it only when time runs short or the respondent declines it`);
			}
			const spentMs = current.askedAtMs === null ? 0 : Math.max(0, evidence.nowMs - current.askedAtMs);
			return { ok: true, changed: true, coverage: { ...current, status: 'skipped', spentMs, note } };
		}
	}
}
