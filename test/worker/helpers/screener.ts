import type { ProjectQuotas, Screener, ScreenerQuestion } from '../../../worker/contracts/screeners';
import { callJson, type TestUser } from './api';

/** A platform question (iOS and Android qualify, no smartphone does not) and an age question (18–65 qualifies). */
export const PLATFORM = {
	id: 'platform',
	kind: 'single',
	text: { en: 'Which phone do you use?', ru: 'Каким телефоном вы пользуетесь?' },
	options: [
		{ id: 'ios', text: { en: 'iPhone', ru: 'iPhone' }, qualifies: true },
		{ id: 'android', text: { en: 'Android', ru: 'Android' }, qualifies: true },
		{ id: 'none', text: { en: 'No smartphone', ru: 'Нет смартфона' }, qualifies: false }
	]
} satisfies ScreenerQuestion;
export const AGE = {
	id: 'age',
	kind: 'number',
	text: { en: 'How old are you?', ru: 'Сколько вам лет?' },
	ranges: [{ min: 18, max: 65 }]
} satisfies ScreenerQuestion;
export const SCREENER: Screener = { questions: [PLATFORM, AGE] };

export const answers = (platform: string, age: number) => [
	{ questionId: 'platform', optionIds: [platform] },
	{ questionId: 'age', value: age }
];

export async function saveScreener(owner: TestUser, projectId: string, screener: unknown = SCREENER) {
	return callJson<Screener>(`/api/projects/${projectId}/screener`, { method: 'PUT', json: screener, as: owner.as });
}

export async function saveQuotas(owner: TestUser, projectId: string, quotas: unknown[]) {
	return callJson<ProjectQuotas>(`/api/projects/${projectId}/quotas`, { method: 'PUT', json: { quotas }, as: owner.as });
}

export const optionQuota = (optionId: string, cap: number, linkId: string | null = null) => ({
	linkId,
	questionId: 'platform',
	optionId,
	min: null,
	max: null,
	cap
});
