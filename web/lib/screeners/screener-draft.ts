import type { QuotaFill, Screener, ScreenerQuestion } from '$contracts/screeners';

/** A screener as the editor holds it: numbers as typed, so a half-typed range is not lost. */
export type DraftOption = { id: string; en: string; ru: string; qualifies: boolean };
export type DraftQuestion = {
	id: string;
	kind: ScreenerQuestion['kind'];
	en: string;
	ru: string;
	options: DraftOption[];
	ranges: { min: string; max: string }[];
};

export const newId = () => crypto.randomUUID().slice(0, 8);

export const newOption = (qualifies = true): DraftOption => ({ id: newId(), en: '', ru: '', qualifies });

export function newQuestion(kind: ScreenerQuestion['kind']): DraftQuestion {
	return {
		id: newId(),
		kind,
		en: '',
		ru: '',
		options: kind === 'number' ? [] : [newOption(true), newOption(false)],
		ranges: kind === 'number' ? [{ min: '18', max: '65' }] : []
	};
}

export function toDraft(screener: Screener): DraftQuestion[] {
	return screener.questions.map((question) => ({
		id: question.id,
		kind: question.kind,
		en: question.text.en,
		ru: question.text.ru,
		options:
			question.kind === 'number'
				? []
				: question.options.map((option) => ({ id: option.id, en: option.text.en, ru: option.text.ru, qualifies: option.qualifies })),
		ranges: question.kind === 'number' ? question.ranges.map((range) => ({ min: String(range.min), max: String(range.max) })) : []
	}));
}

const number = (typed: string) => Number(typed.trim().replace(',', '.'));

/** What the API takes. Whether it is valid is the server's call; `draftProblem` catches the obvious first. */
export function fromDraft(draft: readonly DraftQuestion[]): Screener {
	return {
		questions: draft.map((question): ScreenerQuestion => {
			const text = { en: question.en.trim(), ru: question.ru.trim() };
			if (question.kind === 'number') {
				return {
					id: question.id,
					kind: 'number',
					text,
					ranges: question.ranges.map((range) => ({ min: number(range.min), max: number(range.max) }))
				};
			}
			return {
				id: question.id,
				kind: question.kind,
				text,
				options: question.options.map((option) => ({
					id: option.id,
					text: { en: option.en.trim(), ru: option.ru.trim() },
					qualifies: option.qualifies
				}))
			};
		})
	};
}

/** The first thing that keeps the screener from saving, in words, or null. */
export function draftProblem(draft: readonly DraftQuestion[]): string | null {
	for (const [index, question] of draft.entries()) {
		const where = `Question ${index + 1}`;
		if (!question.en.trim()) return `${where} needs its English text.`;
		if (question.kind === 'number') {
			if (question.ranges.length === 0) return `${where} needs at least one qualifying range.`;
			for (const range of question.ranges) {
				const [min, max] = [number(range.min), number(range.max)];
				if (!range.min.trim() || !range.max.trim() || !Number.isFinite(min) || !Number.isFinite(max))
					return `${where}: every range needs a number at each end.`;
				if (min > max) return `${where}: a range starts at or below where it ends.`;
			}
			continue;
		}
		if (question.options.length < 2) return `${where} needs at least two options.`;
		if (question.options.some((option) => !option.en.trim())) return `${where}: every option needs its English text.`;
		if (!question.options.some((option) => option.qualifies)) return `${where}: at least one option must qualify.`;
	}
	return null;
}

/** "3 / 5 iPhone": a quota's fill, as the links list and the metrics show it. */
export const quotaFillText = (quota: Pick<QuotaFill, 'filled' | 'cap' | 'label'>) => `${quota.filled} / ${quota.cap} ${quota.label.en}`;
