import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../worker/contracts/metrics';
import { callJson } from './helpers/api';
import { createLinks, join, respondent, setUp } from './helpers/interview';

describe('metrics', () => {
	it('counts interviews by status, completion, duration, tokens, and private links by name', async () => {
		const setup = await setUp({ kind: 'single', count: 2 });
		const groups = await createLinks(setup.owner, setup.interviewer.id, {
			kind: 'private',
			names: ['Student Group A', 'Student Group B'],
			maxUses: 3
		});
		const groupA = groups.links[0]!;

		const finished = await join(setup.links[0]!.token, { email: respondent() });
		finished.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await finished.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		finished.socket.send(JSON.stringify({ type: 'leave' }));
		await finished.next('ended');
		// Started and left without a word: an empty interview, and its single-use link is pending again.
		const left = await join(setup.links[1]!.token, { email: respondent() });
		left.socket.send(JSON.stringify({ type: 'leave' }));
		await left.next('ended');
		await join(groupA.token, { email: respondent() });
		await join(groupA.token, { email: respondent() });

		const project = await callJson<Metrics>(`/api/projects/${setup.project.id}/metrics`, { as: setup.owner.as });
		expect(project.status).toBe(200);
		expect(project.body.interviews).toMatchObject({ started: 4, active: 2, completed: 1, abandoned: 0, empty: 1, completionRate: 1 });
		expect(project.body.tokensCharged).toBe(1);
		// The empty interview's seconds are not an interview's length: the average is the one finished interview's.
		expect(project.body.interviews.totalDurationMs).toBeGreaterThan(0);
		expect(project.body.interviews.averageDurationMs).toBe(project.body.interviews.totalDurationMs);
		expect(project.body.links).toMatchObject({ total: 4, byStatus: { completed: 1, pending: 2, active: 1 } });
		expect(project.body.byLink).toEqual([expect.objectContaining({ name: 'Student Group A', kind: 'private', started: 2, active: 2 })]);
		expect(project.body.daily.reduce((total, day) => total + day.started, 0)).toBe(4);
		expect(project.body.endReasons).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ reason: 'empty', count: 1, share: 0.5 }),
				expect.objectContaining({ reason: 'left', count: 1 })
			])
		);

		const forInterviewer = await callJson<Metrics>(`/api/interviewers/${setup.interviewer.id}/metrics`, { as: setup.owner.as });
		expect(forInterviewer.body.interviews.started).toBe(4);
	});

	it("answers 404 for another workspace's project or interviewer", async () => {
		const victim = await setUp();
		const attacker = await setUp();
		expect((await callJson(`/api/projects/${victim.project.id}/metrics`, { as: attacker.owner.as })).status).toBe(404);
		expect((await callJson(`/api/interviewers/${victim.interviewer.id}/metrics`, { as: attacker.owner.as })).status).toBe(404);
	});
});
