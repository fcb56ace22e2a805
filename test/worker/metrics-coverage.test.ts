import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../worker/contracts/metrics';
import type { ServerMessage } from '../../worker/contracts/protocol';
import { callJson } from './helpers/api';
import { join, respondent, setUp, type Joined } from './helpers/interview';

const ANSWER = 'I lead a small design team and we mostly work on the onboarding flow of our mobile app.';

async function answer(joined: Joined) {
	const interviewerTurns = (all: ServerMessage[]) =>
		all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length;
	const before = interviewerTurns(joined.messages);
	joined.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
	await joined.waitFor((all) => (interviewerTurns(all) > before ? true : undefined));
}

describe('metrics of guide coverage', () => {
	it('count, per question, the interviews that answered it, and how interviews ended', async () => {
		const setup = await setUp({ kind: 'single', count: 2 });
		const complete = await join(setup.links[0]!.token, { email: respondent() });
		await complete.waitFor((all) => all.find((message) => message.type === 'turn'));
		for (let question = 0; question < 3; question += 1) await answer(complete);
		expect(await complete.next('ended')).toMatchObject({ reason: 'completed' });

		const left = await join(setup.links[1]!.token, { email: respondent() });
		await left.waitFor((all) => all.find((message) => message.type === 'turn'));
		await answer(left);
		left.socket.send(JSON.stringify({ type: 'leave' }));
		await left.next('ended');

		const metrics = await callJson<Metrics>(`/api/projects/${setup.project.id}/metrics`, { as: setup.owner.as });
		expect(metrics.body.endReasons).toEqual([
			{ reason: 'completed', count: 1, share: 0.5 },
			{ reason: 'left', count: 1, share: 0.5 }
		]);
		expect(
			metrics.body.questions.map(({ questionId, interviews, answered, skipped }) => ({ questionId, interviews, answered, skipped }))
		).toEqual([
			{ questionId: 'q1', interviews: 2, answered: 2, skipped: 0 },
			{ questionId: 'q2', interviews: 2, answered: 1, skipped: 0 },
			{ questionId: 'q3', interviews: 2, answered: 1, skipped: 0 }
		]);
		expect(metrics.body.questions[0]!.medianSeconds).not.toBeNull();
		const forInterviewer = await callJson<Metrics>(`/api/interviewers/${setup.interviewer.id}/metrics`, { as: setup.owner.as });
		expect(forInterviewer.body.questions).toEqual(metrics.body.questions);
	});
});
