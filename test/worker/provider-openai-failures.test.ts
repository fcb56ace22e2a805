/**
 * When OpenAI Realtime fails: responses that end `failed` or `incomplete`, rate limits, error events
 * of each type, failed transcriptions, a response already active. The fake fails the way OpenAI does
 * (test/fakes/openai-realtime/faults.ts); the respondent only ever sees the fixed sentences.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_WAIT_MS, retryDelayMs, retryWindowOf } from '../../worker/ai/openai-realtime/failures';
import { PROVIDER_ERRORS } from '../../worker/ai/provider';
import type { ServerMessage } from '../../worker/contracts/protocol';
import { join, pcmFrame, respondent, type Joined } from './helpers/interview';
import { arm, briefFor, latestSession, openaiInterview, soloSession, turnsOf, until, useOpenAi, type Summary } from './helpers/openai';
import { followPlayback } from './helpers/playback';

const { logs } = useOpenAi();

const REPLIES = [
	'Hello, thank you for joining. What is your role?',
	'Thank you. Which tools do you use every day?',
	'Interesting. How did your first week go?'
];
const providerError = { type: 'error', code: 'provider_error', message: PROVIDER_ERRORS.provider_error };
const errorsOf = (messages: ServerMessage[]) => messages.filter((message) => message.type === 'error');
/** The `response.create`s the client sent after its `index`-th typed answer. */
const createsAfter = (session: Summary, fromEvent: number) =>
	session.eventTypes.slice(fromEvent).filter((type) => type === 'response.create').length;

/** An interview past its greeting, with a fault armed for what comes next. */
async function greeted(fault?: string): Promise<{ marker: string; joined: Joined; eventsBefore: number }> {
	const { marker, token } = await openaiInterview();
	const joined = await join(token, { email: respondent() });
	await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[0]));
	await latestSession(marker, (session) => session.replies[0]?.status === 'completed');
	if (fault) await arm(marker, fault);
	return { marker, joined, eventsBefore: (await latestSession(marker)).eventTypes.length };
}

const say = (joined: Joined, content: string) => joined.socket.send(JSON.stringify({ type: 'text', content }));

describe('a response that ends failed', () => {
	it('is said to the respondent with the fixed sentence and tried once more when the server erred', async () => {
		const { marker, joined, eventsBefore } = await greeted('response-failed:server_error');
		say(joined, 'I manage a bakery.');
		expect(await joined.next('error')).toEqual(providerError);
		const answer = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		expect(answer.role).toBe('interviewer');
		const session = await latestSession(marker);
		expect(session.replies.map((reply) => reply.status)).toEqual(['completed', 'failed', 'completed']);
		expect(createsAfter(session, eventsBefore)).toBe(2);
		expect(errorsOf(joined.messages)).toEqual([providerError]);
		expect(logs.some((line) => line.includes('provider.error') && line.includes('response failed: server_error'))).toBe(true);
		joined.socket.close();
	});

	it('waits out a rate limit’s window before the one retry', async () => {
		const { marker, joined, eventsBefore } = await greeted('response-failed:rate_limit');
		say(joined, 'I manage a bakery.');
		const failedAt = Date.now();
		expect(await joined.next('error')).toEqual(providerError);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		expect(Date.now() - failedAt).toBeGreaterThanOrEqual(550);
		expect(createsAfter(await latestSession(marker), eventsBefore)).toBe(2);
		joined.socket.close();
	});

	it('is not tried again when the quota is used up, and the respondent can go on by text', async () => {
		const { marker, joined, eventsBefore } = await greeted('response-failed:insufficient_quota');
		say(joined, 'I manage a bakery.');
		expect(await joined.next('error')).toEqual(providerError);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(createsAfter(await latestSession(marker), eventsBefore)).toBe(1);
		expect(logs.some((line) => line.includes('insufficient_quota'))).toBe(true);

		say(joined, 'Still here: I manage a bakery.');
		const answer = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		expect(answer.role).toBe('interviewer');
		expect(createsAfter(await latestSession(marker), eventsBefore)).toBe(2);
		joined.socket.close();
	});
});

describe('a response.create that OpenAI refuses with an error', () => {
	it('frees the turn: the refusal is said, the reply is asked for once more, and later answers are answered', async () => {
		const { marker, joined, eventsBefore } = await greeted('response-refused:server_error');
		say(joined, 'I manage a bakery.');
		expect(await joined.next('error')).toEqual(providerError);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		const session = await latestSession(marker);
		expect(session.errors.map((error) => [error.type, error.event_id !== null])).toEqual([['server_error', true]]);
		expect(createsAfter(session, eventsBefore)).toBe(2);
		say(joined, 'Mostly a spreadsheet.');
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[2]));
		joined.socket.close();
	});
});

describe('a response that ends incomplete', () => {
	it('keeps what was said, is counted, and is not asked again', async () => {
		const marker = `incomplete-${crypto.randomUUID()}`;
		const { session, recorded } = soloSession(briefFor(marker));
		await session.start();
		await until(async () => (recorded.history.some((turn) => turn.text === REPLIES[0]) ? true : undefined));
		await arm(marker, 'response-incomplete:max_output_tokens');
		const before = (await latestSession(marker)).eventTypes.length;
		session.sendText('I manage a bakery.');
		const upstream = await latestSession(marker, (found) => found.replies[1]?.status === 'incomplete');
		const cut = await until(async () =>
			recorded.history.find((turn) => turn.role === 'interviewer' && turn.id !== recorded.history[0]!.id)
		);
		expect(REPLIES[1]!.startsWith(cut.text)).toBe(true);
		expect(cut.text.length).toBeLessThan(REPLIES[1]!.length);
		await new Promise((resolve) => setTimeout(resolve, 1_200));
		expect(createsAfter(await latestSession(marker), before)).toBe(1);
		expect(upstream.replies).toHaveLength(2);
		expect(recorded.errors).toEqual([]);
		expect(recorded.usage['openai.responses_incomplete']).toBe(1);
		await session.close();
	});
});

describe('a reply asked for while OpenAI is already answering', () => {
	it('waits for that response to be done and is asked for then, so a typed answer is always answered', async () => {
		const { marker, joined, eventsBefore } = await greeted('busy');
		say(joined, 'I manage a bakery. And we use a spreadsheet.');
		// The server's own response (to what it heard) comes first, then the one the typed answer asked for.
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		const answer = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[2]));
		expect(answer.role).toBe('interviewer');
		const session = await latestSession(marker);
		expect(session.errors.map((error) => error.code)).toEqual(['conversation_already_has_active_response']);
		expect(createsAfter(session, eventsBefore)).toBe(2);
		expect(errorsOf(joined.messages)).toEqual([]);
		joined.socket.close();
	});
});

describe('error events and failed transcriptions', () => {
	it('survives an error event of each type: the respondent hears of it once each time and the interview goes on', async () => {
		const { marker, joined } = await greeted();
		const types = ['invalid_request_error', 'server_error', 'rate_limit', 'insufficient_quota'] as const;
		for (const [index, type] of types.entries()) {
			await arm(marker, `error:${type}`);
			await joined.waitFor((messages) => (errorsOf(messages).length === index + 1 ? true : undefined));
		}
		expect(errorsOf(joined.messages)).toEqual(types.map(() => providerError));
		say(joined, 'I manage a bakery.');
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		const session = await latestSession(marker);
		expect(session.closed).toBe(false);
		expect(session.faults).toEqual(types.map((type) => `error:${type}`));
		for (const logged of ['invalid_request_error', 'server_error', 'tokens', 'insufficient_quota'])
			expect(logs.some((line) => line.includes('provider.error') && line.includes(`error: ${logged} `))).toBe(true);
		joined.socket.close();
	});

	it('keeps a voice answer whose transcription failed as an untranscribed turn, and the interviewer answers it', async () => {
		const { marker, token } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		const playback = followPlayback(joined);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[0]));
		const greeting = await latestSession(marker, (session) => session.replies[0]?.status === 'completed');
		await playback.played(greeting.replies[0]!.audioBytes);
		await arm(marker, 'transcription-failed');
		for (let index = 0; index < 30; index += 1) joined.socket.send(pcmFrame(index < 15));
		const untranscribed = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'respondent'));
		expect(untranscribed).toMatchObject({ text: '(Voice answer: the transcription failed.)', transcribed: false, final: true });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === REPLIES[1]));
		expect(errorsOf(joined.messages)).toEqual([]);
		expect((await latestSession(marker)).faults).toEqual(['transcription-failed']);
		joined.socket.close();
	});
});

describe('how long a failed reply waits before its one retry', () => {
	it('reads the window from the message or from the last rate_limits.updated, and gives up on what cannot pass', () => {
		expect(retryWindowOf('Please try again in 1m26.4s. Visit …')).toBe(86_400);
		expect(retryWindowOf('Please try again in 820ms.')).toBe(820);
		expect(retryWindowOf('Rate limit reached.')).toBeNull();
		const exhausted = [
			{ name: 'requests' as const, limit: 1_000, remaining: 10, reset_seconds: 40 },
			{ name: 'tokens' as const, limit: 40_000, remaining: 0, reset_seconds: 2.5 }
		];
		expect(retryDelayMs({ type: 'server_error', message: 'The server had an error' }, [])).toBe(1_000);
		expect(retryDelayMs({ type: 'tokens', code: 'rate_limit_exceeded', message: 'Please try again in 6.2s.' }, [])).toBe(6_200);
		expect(retryDelayMs({ type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached.' }, exhausted)).toBe(2_500);
		expect(retryDelayMs({ type: 'requests', code: 'rate_limit_exceeded', message: 'Please try again in 1m26.4s.' }, [])).toBeNull();
		expect(retryDelayMs({ type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached.' }, [])).toBeNull();
		expect(
			retryDelayMs({ type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota' }, [])
		).toBeNull();
		expect(retryDelayMs({ type: 'invalid_request_error', code: 'invalid_value', message: 'Invalid value' }, [])).toBeNull();
		expect(MAX_RETRY_WAIT_MS).toBeLessThan(60_000);
	});
});
