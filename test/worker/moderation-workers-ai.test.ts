import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { PlanStore } from '../../durable-objects/plan-store';
import type { RecordDetail } from '../../worker/contracts/records';
import { AI_REPLIES, createFakeAi } from '../fakes/ai-binding';
import { callJson, signUp } from './helpers/api';
import { armAlarm, linkObject, patchLiveSession, stored } from './helpers/durable';
import { createInterviewer, createLinks, GUIDE, join, respondent, type Joined } from './helpers/interview';
import { replies, turnsOf, until, useWorkersAi } from './helpers/workers-ai';
import { createProject } from './helpers/workspace';

let fake = createFakeAi();
useWorkersAi(() => fake);
beforeEach(() => {
	fake = createFakeAi();
});

const EXTRA_QUESTION = 'What would you change first?';

/** A project with the test guide (plus `extra` questions in a last section), a Workers AI interviewer and one single-use link. */
async function setUpCascade(extra: Array<{ id: string; text: string; required: boolean }> = []) {
	const owner = await signUp('researcher');
	const guide = {
		sections: [
			...GUIDE.sections,
			...(extra.length ? [{ id: 's3', title: 'Wishes', questions: extra.map((q) => ({ ...q, probes: [] })) }] : [])
		]
	};
	const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: guide });
	const interviewer = await createInterviewer(owner, project.id, { voice: 'luna', language: 'en' });
	const { links } = await createLinks(owner, interviewer.id, { kind: 'single', count: 1 });
	return { owner, project, link: links[0]! };
}

const statuses = (linkId: string) =>
	runInDurableObject(linkObject(linkId), (_instance, state) =>
		Object.fromEntries(new PlanStore(state.storage).coverage().map((entry) => [entry.questionId, entry.status]))
	);

/** Waits until the note-taker has read as many replies as the socket has seen, so coverage is settled. */
const notesSettled = (joined: Joined) => until(() => (fake.record.notes.length >= replies(joined.messages) ? true : undefined));

/** Types an answer, then waits for the interviewer's next reply and its notes. */
async function answer(joined: Joined, text: string) {
	const before = replies(joined.messages);
	joined.socket.send(JSON.stringify({ type: 'text', content: text }));
	await joined.waitFor((messages) => (replies(messages) > before ? true : undefined));
	await notesSettled(joined);
}

const ANSWERS = ['I run the support team at a bakery chain.', 'A shared inbox and a spreadsheet.', 'Slow: nobody showed me the tools.'];

describe('the Workers AI cascade moderates by the plan through its note-taker', () => {
	it('records coverage reply by reply and ends the interview itself, completed, after the goodbye', async () => {
		const { owner, project, link } = await setUpCascade();
		const joined = await join(link.token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[0]));
		await notesSettled(joined);
		expect(await statuses(link.id)).toEqual({ q1: 'asked', q2: 'pending', q3: 'pending' });

		await answer(joined, ANSWERS[0]!);
		expect(await statuses(link.id)).toEqual({ q1: 'answered', q2: 'asked', q3: 'pending' });
		await answer(joined, ANSWERS[1]!);
		expect(await statuses(link.id)).toEqual({ q1: 'answered', q2: 'answered', q3: 'asked' });
		joined.socket.send(JSON.stringify({ type: 'text', content: ANSWERS[2] }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });
		expect(turnsOf(joined.messages).at(-1)!.text).toBe(AI_REPLIES[3]);

		// The note-taker is held to a schema of the guide's ids, and reads the guide with each question's status.
		const { schema, messages } = fake.record.notes[0]!;
		expect(JSON.stringify(schema)).toContain('"q1","q2","q3"');
		expect(messages.at(-1)!.content).toContain('[q1] What is your role? (required; pending)');
		expect(fake.record.errors).toEqual([]);

		const records = await callJson<{ records: { id: string }[] }>(`/api/projects/${project.id}/records`, { as: owner.as });
		const record = await callJson<RecordDetail>(`/api/records/${records.body.records[0]!.id}`, { as: owner.as });
		expect(record.body.endReason).toBe('completed');
		expect(record.body.coverage.map((entry) => [entry.questionId, entry.status, entry.answeredTurnIds.length])).toEqual([
			['q1', 'answered', 1],
			['q2', 'answered', 1],
			['q3', 'answered', 1]
		]);
	});

	it('refuses a goodbye while a required question is pending: the interviewer asks it, and ends once it is answered', async () => {
		const { link } = await setUpCascade([{ id: 'q4', text: EXTRA_QUESTION, required: true }]);
		const joined = await join(link.token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[0]));
		for (const text of ANSWERS) await answer(joined, text);

		// The goodbye came, the moderator refused it, and the interviewer went back to the open question.
		const asked = `There is one more thing I would like to ask. ${EXTRA_QUESTION}`;
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === asked));
		await notesSettled(joined);
		// Each reply by its id, as last sent (a reply the respondent typed over is sent again, cut).
		const said = [
			...new Map(turnsOf(joined.messages).flatMap((turn) => (turn.role === 'interviewer' ? [[turn.id, turn.text]] : []))).values()
		];
		expect(said.slice(-2)).toEqual([AI_REPLIES[3], asked]);
		expect(joined.messages.some((message) => message.type === 'ended')).toBe(false);
		expect(fake.record.llm.at(-1)!.at(-1)!.content).toContain(`[q4] ${EXTRA_QUESTION}`);
		expect(await statuses(link.id)).toEqual({ q1: 'answered', q2: 'answered', q3: 'answered', q4: 'asked' });

		joined.socket.send(JSON.stringify({ type: 'text', content: 'The onboarding checklist.' }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });
		expect(await statuses(link.id)).toEqual({ q1: 'answered', q2: 'answered', q3: 'answered', q4: 'answered' });
	});

	it('hears the moderator when a section runs over: the next reply moves on to the next section’s question', async () => {
		const { link } = await setUpCascade();
		const joined = await join(link.token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[0]));
		await notesSettled(joined);
		// Seven minutes on by the interview's clock: the first section's share of a 10-minute interview is gone.
		await patchLiveSession(linkObject(link.id), (state) => ({ startedAt: state.startedAt - 7 * 60_000 }));
		await answer(joined, ANSWERS[0]!);
		expect(fake.record.llm.at(-1)!.at(-1)!.content).toContain(
			'the time for "Background" is up. Move on now to [q3] How did your first week go?'
		);
		expect(turnsOf(joined.messages).at(-1)!.text).toBe('There is one more thing I would like to ask. How did your first week go?');
		expect(await statuses(link.id)).toEqual({ q1: 'answered', q2: 'pending', q3: 'asked' });
	});

	it('names the most important open question in the wrap-up, and a goodbye after it ends the interview with the rest skipped', async () => {
		const { link } = await setUpCascade([{ id: 'q4', text: EXTRA_QUESTION, required: false }]);
		const joined = await join(link.token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[0]));
		await answer(joined, ANSWERS[0]!);
		await patchLiveSession(linkObject(link.id), () => ({ wrapUpAt: Date.now() - 1 }));
		await armAlarm(linkObject(link.id));
		await runDurableObjectAlarm(linkObject(link.id));
		const note = await until(() => fake.record.llm.find((prompt) => prompt.at(-1)!.content.startsWith('(Note from the system')));
		expect(note.at(-1)!.content).toContain('ask this last question if it fits: [q3] How did your first week go?');
		// The fake's wrap-up reply is its next scripted line; once the respondent answers, its goodbye closes the interview.
		await notesSettled(joined);
		await answer(joined, ANSWERS[1]!);
		joined.socket.send(JSON.stringify({ type: 'text', content: ANSWERS[2] }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });
		expect((await statuses(link.id)).q4).toBe('skipped');
	});

	it('goes on when the note-taker fails or answers outside its schema: nothing is recorded, and the failures are counted', async () => {
		for (const kind of ['error', 'off-schema'] as const) {
			fake = createFakeAi();
			fake.answerNotes(kind);
			const { link } = await setUpCascade();
			const joined = await join(link.token, { email: respondent() });
			await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[0]));
			await answer(joined, ANSWERS[0]!);
			expect(turnsOf(joined.messages).at(-1)!.text, kind).toBe(AI_REPLIES[1]);
			expect(
				joined.messages.filter((message) => message.type === 'error'),
				kind
			).toEqual([]);
			expect(await statuses(link.id), kind).toEqual({ q1: 'pending', q2: 'pending', q3: 'pending' });
			const usage = await until(async () => {
				const counted = await stored(linkObject(link.id), (store) => store.getMeta<Record<string, number>>('usage'));
				const key = kind === 'error' ? 'workers-ai.notes_failed' : 'workers-ai.notes_unreadable';
				return (counted?.[key] ?? 0) >= 2 ? counted : undefined;
			});
			expect(usage, kind).toBeDefined();
			joined.socket.close();
		}
	});
});
