/**
 * OpenAI Realtime reports on the guide through function tools. The fake model calls them the way a
 * careful model would (test/fakes/openai-realtime/tools.ts); the Interview DO's moderator decides.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { PlanStore } from '../../durable-objects/plan-store';
import { ToolCalls } from '../../worker/ai/openai-realtime/tools';
import type { ModeratorReply, ProgressReport, ProviderEvents } from '../../worker/ai/provider';
import type { Turn } from '../../worker/contracts/protocol';
import type { RecordDetail } from '../../worker/contracts/records';
import { callJson } from './helpers/api';
import { linkObject } from './helpers/durable';
import { GUIDE, join, respondent, type Joined } from './helpers/interview';
import { latestSession, openaiInterview, turnsOf, useOpenAi } from './helpers/openai';

useOpenAi();

const REPLIES = [
	'Hello, thank you for joining. What is your role?',
	'Thank you. Which tools do you use every day?',
	'Interesting. How did your first week go?',
	'That is all my questions. Thank you and goodbye.'
];
const ANSWERS = ['I run the support team at a bakery chain.', 'A shared inbox and a spreadsheet.', 'Slow: nobody showed me the tools.'];
const EXTRA = { id: 'q4', text: 'What would you change first?', probes: [], required: true };

const statuses = (linkId: string) =>
	runInDurableObject(linkObject(linkId), (_instance, state) =>
		Object.fromEntries(new PlanStore(state.storage).coverage().map((entry) => [entry.questionId, entry.status]))
	);

/** Types an answer and waits for the interviewer's reply with these words. */
async function answer(joined: Joined, text: string, reply: string) {
	const before = turnsOf(joined.messages).length;
	joined.socket.send(JSON.stringify({ type: 'text', content: text }));
	await joined.waitFor((messages) =>
		turnsOf(messages)
			.slice(before)
			.find((turn) => turn.text === reply)
	);
}

const outputsOf = async (marker: string, count: number) =>
	(await latestSession(marker, (session) => session.toolOutputs.length >= count)).toolOutputs.map((output) => ({
		name: output.name,
		...(JSON.parse(output.output) as ModeratorReply)
	}));

describe('OpenAI Realtime moderates by the plan through function tools', () => {
	it('declares the tools, records coverage call by call, and ends the interview itself once the goodbye’s end_interview is accepted', async () => {
		const { marker, token, linkId, owner, project } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[0]));
		const session = await latestSession(marker, (found) => found.toolOutputs.length >= 1);
		expect(session.session!.tools.map((tool: { name: string }) => tool.name)).toEqual(['record_progress', 'end_interview']);
		expect(session.instructions).toContain('[q1] What is your role? (required; pending)');
		expect(session.instructions).toContain('call record_progress');
		expect(await statuses(linkId)).toEqual({ q1: 'asked', q2: 'pending', q3: 'pending' });

		await answer(joined, ANSWERS[0]!, REPLIES[1]!);
		await outputsOf(marker, 3);
		expect(await statuses(linkId)).toEqual({ q1: 'answered', q2: 'asked', q3: 'pending' });
		await answer(joined, ANSWERS[1]!, REPLIES[2]!);
		joined.socket.send(JSON.stringify({ type: 'text', content: ANSWERS[2] }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });

		const outputs = await outputsOf(marker, 7);
		expect(outputs.map((output) => [output.name, output.accepted])).toEqual([
			['record_progress', true],
			['record_progress', true],
			['record_progress', true],
			['record_progress', true],
			['record_progress', true],
			['record_progress', true],
			['end_interview', true]
		]);
		expect((await latestSession(marker)).protocolErrors).toEqual([]);
		const records = await callJson<{ records: { id: string }[] }>(`/api/projects/${project.id}/records`, { as: owner.as });
		const record = await callJson<RecordDetail>(`/api/records/${records.body.records[0]!.id}`, { as: owner.as });
		expect(record.body.endReason).toBe('completed');
		expect(record.body.coverage.map((entry) => [entry.questionId, entry.status])).toEqual([
			['q1', 'answered'],
			['q2', 'answered'],
			['q3', 'answered']
		]);
	});

	it('refuses end_interview while a required question is pending, answers with what remains, and the model goes back to it', async () => {
		const guide = { sections: [...GUIDE.sections, { id: 's3', title: 'Wishes', questions: [EXTRA] }] };
		const { marker, token, linkId } = await openaiInterview({}, guide);
		const joined = await join(token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[0]));
		await answer(joined, ANSWERS[0]!, REPLIES[1]!);
		await answer(joined, ANSWERS[1]!, REPLIES[2]!);
		await answer(joined, ANSWERS[2]!, `There is one more thing I would like to ask. ${EXTRA.text}`);

		const refused = (await outputsOf(marker, 7)).find((output) => output.name === 'end_interview')!;
		expect(refused.accepted).toBe(false);
		expect(refused.message).toContain(`[q4] ${EXTRA.text}`);
		expect(joined.messages.some((message) => message.type === 'ended')).toBe(false);
		expect(await statuses(linkId)).toMatchObject({ q3: 'answered', q4: 'asked' });

		joined.socket.send(JSON.stringify({ type: 'text', content: 'The onboarding checklist.' }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });
		expect(await statuses(linkId)).toEqual({ q1: 'answered', q2: 'answered', q3: 'answered', q4: 'answered' });
	});

	it('gives the model the researcher’s translation of each question in a Russian interview, and its reports keep to the guide’s ids', async () => {
		const guide = {
			sections: [
				{
					...GUIDE.sections[0]!,
					questions: [
						{ ...GUIDE.sections[0]!.questions[0]!, translations: { ru: { text: 'Чем вы занимаетесь?' } } },
						GUIDE.sections[0]!.questions[1]!
					]
				},
				GUIDE.sections[1]!
			]
		};
		const { marker, token } = await openaiInterview({ language: 'ru' }, guide);
		const joined = await join(token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const session = await latestSession(marker, (found) => found.instructions.includes('[q1]'));
		expect(session.instructions).toContain('[q1] Чем вы занимаетесь? (required;');
		expect(session.instructions).toContain('[q2] Which tools do you use every day? (required;');
		joined.socket.close();
	});
});

/** A tool call as OpenAI sends it when its arguments are complete. */
const call = (name: string, args: unknown, callId = `call_${crypto.randomUUID()}`) => ({
	type: 'response.function_call_arguments.done' as const,
	event_id: 'event_1',
	response_id: 'resp_1',
	item_id: 'item_1',
	output_index: 1,
	call_id: callId,
	name,
	arguments: typeof args === 'string' ? args : JSON.stringify(args)
});

const turn = (role: Turn['role'], text: string): Turn => ({
	id: crypto.randomUUID(),
	role,
	text,
	final: true,
	at: Date.now(),
	transcribed: true
});

/** Tool calls against a moderator that records what reached it. */
function harness(history: Turn[]) {
	const reports: ProgressReport[] = [];
	const endRequests: string[] = [];
	const outputs: Array<{ accepted: boolean; message: string }> = [];
	const usage: Record<string, number> = {};
	const events = {
		progress: (report: ProgressReport) => (reports.push(report), { accepted: report.questionId === 'q1', message: 'ok' }),
		requestEnd: (reason: string) => (endRequests.push(reason), { accepted: true, message: 'The interview ends now.' }),
		usage: (counts: Record<string, number>) => {
			for (const [key, value] of Object.entries(counts)) usage[key] = (usage[key] ?? 0) + value;
		}
	} as unknown as ProviderEvents;
	const tools = new ToolCalls({
		events,
		history: () => history,
		send: (event) => outputs.push(JSON.parse((event.item as { output: string }).output))
	});
	return { tools, reports, endRequests, outputs, usage };
}

describe('tool calls are checked like frames', () => {
	it('answers unknown tools, unreadable arguments and repeated calls without passing them on', () => {
		const { tools, reports, outputs, usage } = harness([]);
		tools.handle(call('delete_everything', {}));
		tools.handle(call('record_progress', '{not json'));
		tools.handle(call('record_progress', { question_id: 'q1', status: 'finished' }));
		const once = call('record_progress', { question_id: 'q1', status: 'asked' }, 'call_same');
		tools.handle(once);
		tools.handle(once);
		expect(reports).toEqual([{ questionId: 'q1', status: 'asked', note: null }]);
		expect(outputs.map((output) => output.accepted)).toEqual([false, false, false, true]);
		expect(outputs[0]!.message).toContain('no tool named "delete_everything"');
		expect(usage['openai.tool_calls_ignored']).toBe(4);
	});

	it('takes end_interview only after the goodbye was said, and asks for a reply only when the response said nothing', () => {
		const history = [turn('interviewer', 'What is your role?'), turn('respondent', 'I manage a bakery.')];
		const { tools, endRequests, outputs } = harness(history);
		tools.responseStarted();
		tools.handle(call('end_interview', { reason: 'done' }));
		expect(endRequests).toEqual([]);
		expect(outputs[0]).toMatchObject({ accepted: false });
		expect(tools.followUp()).toBe(true);

		history.push(turn('interviewer', 'Thank you and goodbye.'));
		tools.spoke();
		tools.handle(call('end_interview', { reason: 'the guide is covered' }));
		expect(endRequests).toEqual(['the guide is covered']);
		expect(tools.followUp()).toBe(false);
	});
});
