import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../durable-objects';
import type { ObserverMessage } from '../../worker/contracts/observer';
import { CLOSE_CODES, type ServerMessage, type Turn } from '../../worker/contracts/protocol';
import { armAlarm, linkObject, patchSession, untilSession } from './helpers/durable';
import { join, respondent, sendPaced, setUp, speech } from './helpers/interview';
import { asBrowser, running, turnSeen, watch, welcomeOf } from './helpers/observer';

const ANSWER = 'I run the support desk for a small SaaS company in Lisbon.';
const wireTurns = (messages: ServerMessage[]) =>
	messages.filter((message) => message.type === 'turn').map(({ type: _type, ...turn }) => turn as Turn);
const recordOf = (interviewId: string) =>
	env.DB.prepare('select id from record where interview_id = ?').bind(interviewId).first<{ id: string }>();

describe('watching a running interview', () => {
	it('welcomes with the interview so far, then relays the respondent’s turns and states, then ended with the record', async () => {
		const { owner, project, links } = await setUp();
		const interview = await running(links[0]!.token);
		const observed = await watch(interview.interviewId, asBrowser(owner));
		const welcome = welcomeOf(observed.first);
		expect(welcome).toMatchObject({
			protocol: 1,
			interview: interview.interviewId,
			projectId: project.id,
			status: 'active',
			respondent: interview.email,
			linkName: links[0]!.name,
			linkKind: 'single'
		});
		expect(welcome.remainingMs).toBeGreaterThan(9 * 60_000);
		expect(welcome.startedAt).toBeLessThanOrEqual(Date.now());
		expect(welcome.transcript).toEqual(wireTurns(interview.messages));
		expect(welcome.coverage.map((entry) => [entry.questionId, entry.status])).toEqual([
			['q1', 'asked'],
			['q2', 'pending'],
			['q3', 'pending']
		]);

		interview.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		const answer = await turnSeen(observed, (turn) => turn.role === 'respondent');
		// The answer settles q1 and the reply asks q2: observers get the whole list after each change.
		const coverage = await observed.waitFor((all) =>
			all.findLast((message): message is Extract<ObserverMessage, { type: 'coverage' }> => {
				if (message.type !== 'coverage') return false;
				return message.coverage.find((entry) => entry.questionId === 'q2')?.status === 'asked';
			})
		);
		expect(coverage.coverage.map((entry) => entry.status)).toEqual(['answered', 'asked', 'pending']);
		expect(coverage.coverage[0]!.answeredTurnIds).toEqual([answer.id]);
		expect(answer).toMatchObject({ type: 'turn', role: 'respondent', text: ANSWER, final: true });
		const reply = await turnSeen(observed, (turn) => turn.role === 'interviewer' && turn.at >= answer.at);
		const sent = await interview.waitFor((all) => all.find((message) => message.type === 'turn' && message.id === reply.id));
		expect(reply).toEqual(sent);

		interview.socket.send(JSON.stringify({ type: 'ping' }));
		const state = await observed.next('state');
		expect(state).toMatchObject({ status: 'active' });

		interview.socket.send(JSON.stringify({ type: 'leave' }));
		const ended = await observed.next('ended');
		expect(await interview.next('ended')).toEqual({ type: 'ended', reason: 'left' });
		expect(ended).toEqual({ type: 'ended', reason: 'left', recordId: (await recordOf(interview.interviewId))!.id });
		expect((await observed.closed).code).toBe(CLOSE_CODES.ended);
		expect(observed.binary).toHaveLength(0);
	});

	it('never sends audio to observers: a spoken answer reaches them as a turn, its frames do not', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const observed = await watch(interview.interviewId, asBrowser(owner));
		await sendPaced(interview.socket, speech(30, 30));
		const spoken = await turnSeen(observed, (turn) => turn.role === 'respondent');
		expect(spoken).toMatchObject({ transcribed: false, final: true });
		expect(observed.binary).toHaveLength(0);
		expect(observed.messages.map((message) => message.type)).not.toContain('playback.flush');
	});

	it('watches a multi-use link’s interview in its own object, and several observers at once', async () => {
		const { owner, links } = await setUp({ kind: 'public', maxUses: 3 });
		const interview = await running(links[0]!.token);
		const [first, second] = await Promise.all([
			watch(interview.interviewId, asBrowser(owner)),
			watch(interview.interviewId, asBrowser(owner))
		]);
		expect(welcomeOf(first.first)).toMatchObject({ linkKind: 'public', respondent: interview.email, status: 'active' });
		interview.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		for (const observed of [first, second]) {
			expect(await turnSeen(observed, (turn) => turn.role === 'respondent')).toMatchObject({ text: ANSWER });
		}
	});

	it('answers whatever an observer sends with an error, acts on none of it, and closes a flood with 4429', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const observed = await watch(interview.interviewId, asBrowser(owner));
		const attempts = [
			{ type: 'hello', protocol: 1, email: respondent('intruder'), consent: true },
			{ type: 'hello', protocol: 1, email: interview.email, consent: true },
			{ type: 'text', content: 'Typed by an observer' },
			{ type: 'mute', on: true },
			{ type: 'leave' }
		];
		for (const attempt of attempts) {
			observed.socket.send(JSON.stringify(attempt));
			expect(await observed.next('error')).toMatchObject({ code: 'observer_read_only' });
		}
		observed.socket.send(speech(1, 0)[0]!);
		expect(await observed.next('error')).toMatchObject({ code: 'observer_read_only' });
		for (let index = 0; index < 10; index += 1) observed.socket.send('{"type":"ping"}');
		expect(await observed.closed).toMatchObject({ code: CLOSE_CODES.tooManyFrames });

		// The respondent noticed nothing: still joined, not replaced, not muted, and the interview runs on.
		interview.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		await interview.waitFor((all) => all.find((message) => message.type === 'turn' && message.text === ANSWER));
		const session = await untilSession(linkObject(links[0]!.id), () => true);
		expect(session).toMatchObject({ status: 'active', email: interview.email });
		expect(wireTurns(interview.messages).map((turn) => turn.text)).not.toContain('Typed by an observer');
		expect(interview.messages.filter((message) => message.type === 'error')).toEqual([]);
	});
});

describe('observers are invisible to the respondent', () => {
	it('does not keep an abandoned interview alive, and is told it ended', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const observed = await watch(interview.interviewId, asBrowser(owner));
		// An answer first: an interview nobody answered ends as empty, not abandoned.
		interview.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		await interview.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		interview.socket.close(1000, 'gone');
		const stub = linkObject(links[0]!.id);
		await untilSession(stub, (state) => state.emptySince !== null);
		await patchSession(stub, (state: SessionState) => ({
			startedAt: state.startedAt - 3 * 60_000 - 5_000,
			emptySince: Date.now() - 3 * 60_000
		}));
		await armAlarm(stub);
		await runDurableObjectAlarm(stub);
		const row = await env.DB.prepare('select status, end_reason from interview where id = ?').bind(interview.interviewId).first();
		expect(row).toEqual({ status: 'abandoned', end_reason: 'abandoned' });
		expect(await observed.next('ended')).toMatchObject({ reason: 'abandoned', recordId: (await recordOf(interview.interviewId))!.id });
		expect((await observed.closed).code).toBe(CLOSE_CODES.ended);
	});

	it('leaves the respondent’s welcome and socket as they were: no replacement, the same fields', async () => {
		const { owner, links } = await setUp();
		const email = respondent();
		const interview = await running(links[0]!.token, email);
		const observed = await watch(interview.interviewId, asBrowser(owner));
		const again = await join(links[0]!.token, { email });
		expect(Object.keys(again.first).sort()).toEqual(Object.keys(interview.first).sort());
		expect(again.first).toMatchObject({ type: 'welcome', status: 'active', provider: 'local' });
		// The earlier tab is replaced by the respondent's own rejoin, as always; the observer stays.
		expect((await interview.closed).code).toBe(CLOSE_CODES.replaced);
		again.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		await turnSeen(observed, (turn) => turn.text === ANSWER);
		expect(observed.messages.filter((message: ObserverMessage) => message.type === 'error')).toEqual([]);
	});

	it('an observer joining does not replace or disturb a connected respondent', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const before = interview.messages.length;
		const observed = await watch(interview.interviewId, asBrowser(owner));
		await watch(interview.interviewId, asBrowser(owner));
		interview.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		await turnSeen(observed, (turn) => turn.text === ANSWER);
		const since = interview.messages.slice(before);
		expect(since.map((message) => message.type).every((type) => type === 'turn')).toBe(true);
		expect(await untilSession(linkObject(links[0]!.id), (state) => state.emptySince === null)).toBeTruthy();
	});
});

describe('watching an interview that has ended', () => {
	it('gets the final status and transcript, then ended with the record, then the close', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		interview.socket.send(JSON.stringify({ type: 'text', content: ANSWER }));
		await interview.waitFor((all) => (wireTurns(all).length >= 4 ? true : undefined));
		interview.socket.send(JSON.stringify({ type: 'leave' }));
		await interview.next('ended');
		const transcript = wireTurns(interview.messages);

		const observed = await watch(interview.interviewId, asBrowser(owner));
		expect(welcomeOf(observed.first)).toMatchObject({ status: 'completed', remainingMs: 0, transcript, respondent: interview.email });
		expect(await observed.next('ended')).toEqual({ type: 'ended', reason: 'left', recordId: (await recordOf(interview.interviewId))!.id });
		expect((await observed.closed).code).toBe(CLOSE_CODES.ended);
		expect(observed.messages.map((message) => message.type)).toEqual(['observe.welcome', 'ended']);
	});
});
