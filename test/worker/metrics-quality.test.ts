import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../worker/contracts/metrics';
import { callJson } from './helpers/api';
import { setUp } from './helpers/interview';
import { ANSWERS, completeInterview } from './records-fixtures';

describe('metrics and low-quality records', () => {
	it('leave out interviews whose record is low quality unless asked, and say how many', async () => {
		const setup = await setUp({ kind: 'single', count: 3 });
		await completeInterview({ ...setup, links: [setup.links[0]!] }, ANSWERS);
		// Nothing but non-answers: computed low quality.
		const computed = await completeInterview({ ...setup, links: [setup.links[1]!] }, ["I don't know.", 'No idea.', 'Pass.']);
		// A full interview a researcher marked low quality by hand.
		const overridden = await completeInterview({ ...setup, links: [setup.links[2]!] }, ANSWERS);
		const computedFlag = await callJson<{ quality: { flag: string } }>(`/api/records/${computed}`, { as: setup.owner.as });
		expect(computedFlag.body.quality.flag).toBe('low_quality');
		const put = await callJson(`/api/records/${overridden}/quality`, {
			method: 'PUT',
			json: { flag: 'low_quality', note: 'Answered for someone else.' },
			as: setup.owner.as
		});
		expect(put.status).toBe(200);

		const metrics = (query = '') =>
			callJson<Metrics>(`/api/projects/${setup.project.id}/metrics${query}`, { as: setup.owner.as }).then((answer) => answer.body);
		const byDefault = await metrics();
		expect(byDefault.quality).toEqual({ includeLowQuality: false, excludedLowQuality: 2 });
		expect(byDefault.interviews).toMatchObject({ started: 1, completed: 1 });
		expect(byDefault.byInterviewer[0]).toMatchObject({ started: 1, completed: 1 });
		expect(byDefault.questions.every((question) => question.interviews <= 1)).toBe(true);

		const everything = await metrics('?includeLowQuality=true');
		expect(everything.quality).toEqual({ includeLowQuality: true, excludedLowQuality: 0 });
		expect(everything.interviews).toMatchObject({ started: 3, completed: 3 });
		expect(Math.max(...everything.questions.map((question) => question.interviews))).toBe(3);
		// Tokens were spent on every interview, whatever its quality: the charge is the same either way.
		expect(everything.tokensCharged).toBeGreaterThanOrEqual(3);
		expect(byDefault.tokensCharged).toBe(everything.tokensCharged);

		const interviewer = await callJson<Metrics>(`/api/interviewers/${setup.interviewer.id}/metrics`, { as: setup.owner.as });
		expect(interviewer.body.quality.excludedLowQuality).toBe(2);
		expect(interviewer.body.interviews.started).toBe(1);
		expect((await callJson(`/api/projects/${setup.project.id}/metrics?includeLowQuality=maybe`, { as: setup.owner.as })).status).toBe(400);
	});
});
