import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PlanStore } from '../../durable-objects/plan-store';
import type { ServerMessage } from '../../worker/contracts/protocol';
import type { RecordDetail } from '../../worker/contracts/records';
import { callJson } from './helpers/api';
import { crash, linkObject, patchLiveSession } from './helpers/durable';
import { join, respondent, setUp, type Joined } from './helpers/interview';

const LONG_ANSWER = 'I lead a small design team and we mostly work on the onboarding flow of our mobile app.';

const coverageOf = (linkId: string) =>
	runInDurableObject(linkObject(linkId), (_instance, state) => new PlanStore(state.storage).coverage());
const statuses = async (linkId: string) => Object.fromEntries((await coverageOf(linkId)).map((entry) => [entry.questionId, entry.status]));

const interviewerTurns = (joined: Joined) =>
	joined.messages.filter(
		(message): message is Extract<ServerMessage, { type: 'turn' }> => message.type === 'turn' && message.role === 'interviewer'
	);

/** Types an answer and waits for the interviewer's next turn. */
async function answer(joined: Joined, text = LONG_ANSWER) {
	const before = interviewerTurns(joined).length;
	joined.socket.send(JSON.stringify({ type: 'text', content: text }));
	await joined.waitFor((all) =>
		all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length > before ? true : undefined
	);
}

describe('the local interviewer moderates by the plan', () => {
	it('records coverage turn by turn and ends the interview itself, completed, once every question is answered', async () => {
		const { owner, project, links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.text.includes('What is your role?')));
		expect(await statuses(links[0]!.id)).toEqual({ q1: 'asked', q2: 'pending', q3: 'pending' });

		await answer(joined);
		expect(await statuses(links[0]!.id)).toEqual({ q1: 'answered', q2: 'asked', q3: 'pending' });
		await answer(joined);
		await answer(joined);
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });

		const records = await callJson<{ records: { id: string }[] }>(`/api/projects/${project.id}/records`, { as: owner.as });
		const record = await callJson<RecordDetail>(`/api/records/${records.body.records[0]!.id}`, { as: owner.as });
		expect(record.body.endReason).toBe('completed');
		expect(record.body.coverage.map(({ questionId, status, required }) => ({ questionId, status, required }))).toEqual([
			{ questionId: 'q1', status: 'answered', required: true },
			{ questionId: 'q2', status: 'answered', required: true },
			{ questionId: 'q3', status: 'answered', required: true }
		]);
		const answeredTurns = record.body.coverage.flatMap((entry) => entry.answeredTurnIds);
		expect(answeredTurns).toHaveLength(3);
		expect(record.body.coverage.every((entry) => entry.askedTurnId !== null)).toBe(true);
	});

	it('keeps the plan and its coverage across a restart of its object, and carries on from there', async () => {
		const { links } = await setUp();
		const email = respondent();
		const joined = await join(links[0]!.token, { email });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.text.includes('What is your role?')));
		await answer(joined);
		const before = await coverageOf(links[0]!.id);

		await crash();
		expect(await coverageOf(links[0]!.id)).toEqual(before);
		const again = await join(links[0]!.token, { email });
		await answer(again);
		expect(await statuses(links[0]!.id)).toEqual({ q1: 'answered', q2: 'answered', q3: 'asked' });
	});

	it('moves on to the next section when a section runs over its budget', async () => {
		const { links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.text.includes('What is your role?')));
		// Seven minutes on by the interview's clock: the first section's share of a 10-minute interview (about 5.6 minutes) is gone.
		await patchLiveSession(linkObject(links[0]!.id), (state) => ({ startedAt: state.startedAt - 7 * 60_000 }));
		await answer(joined);
		expect(interviewerTurns(joined).at(-1)!.text).toContain('How did your first week go?');
		expect(await statuses(links[0]!.id)).toEqual({ q1: 'answered', q2: 'pending', q3: 'asked' });
	});
});
