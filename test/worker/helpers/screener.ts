import type { ProjectQuotas, Screener } from '../../../worker/contracts/screeners';
import { callJson, type TestUser } from './api';
import { AGE, PLATFORM, SCREENER } from '../../fixtures/screeners';

export { AGE, PLATFORM, SCREENER };

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
