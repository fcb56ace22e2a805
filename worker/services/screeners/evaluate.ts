import type { RecordedAnswer, ScreenerAnswers, ScreenerQuestion } from '../../contracts/screeners';
import type { Refusal } from '../../lib/socket';

export const SCREENER_REFUSALS = {
	incomplete: { code: 'screener_incomplete', message: 'Answer every screening question to continue.' },
	screenedOut: {
		code: 'screened_out',
		message: 'Thank you for your time. This study is looking for people in a different situation, so it ends here.'
	},
	quotaFull: {
		code: 'quota_full',
		message: 'Thank you for your interest. This study already has enough respondents like you, so it ends here.'
	}
} satisfies Record<string, Refusal>;

/** One question's answer in the form quotas are matched against. */
export type GivenAnswer = { questionId: string; optionIds: string[]; value: number | null };

export type Screening =
	{ ok: true; given: GivenAnswer[]; recorded: RecordedAnswer[] } | { ok: false; refusal: Refusal; reason: 'incomplete' | 'disqualified' };

const inRange = (value: number, range: { min: number; max: number }) => value >= range.min && value <= range.max;

/**
 * Judges a respondent's answers, server-side: every question answered exactly once with options
 * it has (one for a single choice) or a number; any disqualifying option chosen, or a number
 * outside every qualifying range, screens the respondent out.
 */
export function screenAnswers(questions: readonly ScreenerQuestion[], answers: ScreenerAnswers | null): Screening {
	const incomplete = { ok: false, refusal: SCREENER_REFUSALS.incomplete, reason: 'incomplete' } as const;
	const list = answers ?? [];
	if (list.length !== questions.length) return incomplete;
	const byId = new Map(list.map((answer) => [answer.questionId, answer]));
	if (byId.size !== list.length) return incomplete;
	const given: GivenAnswer[] = [];
	const recorded: RecordedAnswer[] = [];
	let qualifies = true;
	for (const question of questions) {
		const answer = byId.get(question.id);
		if (!answer) return incomplete;
		if (question.kind === 'number') {
			if (answer.value === undefined || answer.optionIds !== undefined) return incomplete;
			if (!question.ranges.some((range) => inRange(answer.value!, range))) qualifies = false;
			given.push({ questionId: question.id, optionIds: [], value: answer.value });
			recorded.push({ questionId: question.id, question: question.text, answers: [], value: answer.value });
			continue;
		}
		const ids = answer.optionIds ?? [];
		if (answer.value !== undefined || ids.length === 0 || new Set(ids).size !== ids.length) return incomplete;
		if (question.kind === 'single' && ids.length !== 1) return incomplete;
		const chosen = ids.map((id) => question.options.find((option) => option.id === id));
		if (chosen.some((option) => option === undefined)) return incomplete;
		if (chosen.some((option) => !option!.qualifies)) qualifies = false;
		given.push({ questionId: question.id, optionIds: ids, value: null });
		recorded.push({ questionId: question.id, question: question.text, answers: chosen.map((option) => option!.text), value: null });
	}
	return qualifies ? { ok: true, given, recorded } : { ok: false, refusal: SCREENER_REFUSALS.screenedOut, reason: 'disqualified' };
}
