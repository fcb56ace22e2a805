import { env } from 'cloudflare:workers';
import {
	createExecutionContext,
	createScheduledController,
	runDurableObjectAlarm,
	runInDurableObject,
	waitOnExecutionContext
} from 'cloudflare:test';
import worker from '../../worker';
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../durable-objects';
import { CLOSE_CODES, MAX_AUDIO_FRAME_BYTES, type Turn } from '../../worker/contracts/protocol';
import { armAlarm, linkObject, patchLiveSession, patchSession, untilSession } from './helpers/durable';
import { join, respondent, setUp } from './helpers/interview';

/**
 * Moves the session's clock, as time passing would, and arms the alarm: in the running object while
 * the respondent is connected (their socket holds it awake), through storage and an eviction once
 * they are gone.
 */
async function shiftSession(linkId: string, patch: (state: SessionState) => Partial<SessionState>, respondent: 'connected' | 'gone') {
	await (respondent === 'connected' ? patchLiveSession : patchSession)(linkObject(linkId), patch);
	await armAlarm(linkObject(linkId));
}

describe('the server-side clock', () => {
	it('tells the interviewer to wrap up before the deadline', async () => {
		const { links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		await shiftSession(links[0]!.id, () => ({ wrapUpAt: Date.now() - 1 }), 'connected');
		await runDurableObjectAlarm(linkObject(links[0]!.id));
		const wrapUp = await joined.waitFor((all) =>
			all.find((message) => message.type === 'turn' && message.text.includes('almost out of time'))
		);
		expect(wrapUp).toMatchObject({ role: 'interviewer' });
		expect(await joined.next('state')).toMatchObject({ status: 'active' });
	});

	it('ends an interview nobody rejoined within the grace period as abandoned, charging the minutes used', async () => {
		const { owner, links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		joined.socket.close(1000, 'gone');
		await untilSession(linkObject(links[0]!.id), (state) => state.emptySince !== null);
		await shiftSession(
			links[0]!.id,
			(state) => ({ startedAt: state.startedAt - 3 * 60_000 - 5_000, emptySince: Date.now() - 3 * 60_000 }),
			'gone'
		);
		await runDurableObjectAlarm(linkObject(links[0]!.id));
		const row = await env.DB.prepare('select status, end_reason, charged_tokens from interview where link_id = ?')
			.bind(links[0]!.id)
			.first();
		expect(row).toMatchObject({ status: 'abandoned', end_reason: 'abandoned', charged_tokens: 1 });
		const balance = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
			.bind(owner.me.workspace.id)
			.first();
		expect(balance).toEqual({ available: Number(env.SIGNUP_TOKENS) - 1, reserved: 0 });
	});
});

describe('bad frames lose nothing', () => {
	it('answers each with an error frame, closes a text flood with 4429, and keeps every stored turn', async () => {
		const { links } = await setUp();
		const email = respondent();
		const joined = await join(links[0]!.token, { email });
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I run support for a small SaaS team in Lisbon.' }));
		await joined.waitFor((all) => (all.filter((message) => message.type === 'turn').length >= 4 ? true : undefined));
		const before = joined.messages.filter((message) => message.type === 'turn') as (Turn & { type: 'turn' })[];

		const bad: [string | ArrayBuffer, string][] = [
			[new ArrayBuffer(MAX_AUDIO_FRAME_BYTES + 2), 'frame_too_large'],
			[new ArrayBuffer(961), 'bad_audio'],
			['{"type":', 'invalid_json'],
			[JSON.stringify({ type: 'shout' }), 'unknown_type'],
			[JSON.stringify({ type: 'hello', protocol: 9, email }), 'unsupported_protocol']
		];
		for (const [frame, code] of bad) {
			joined.socket.send(frame);
			expect(await joined.next('error')).toMatchObject({ code });
		}
		for (let index = 0; index < 60; index += 1) joined.socket.send(JSON.stringify({ type: 'ping' }));
		expect(await joined.closed).toMatchObject({ code: CLOSE_CODES.tooManyFrames });

		const again = await join(links[0]!.token, { email });
		const transcript = (again.first as { transcript: Turn[] }).transcript;
		expect(transcript).toEqual(before.map(({ type: _type, ...turn }) => turn));
	});
});

describe('the cron sweep', () => {
	it('finalises an interview whose alarm was lost, once', async () => {
		const { links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		await shiftSession(links[0]!.id, () => ({ deadlineAt: Date.now() - 1 }), 'connected');
		await runInDurableObject(linkObject(links[0]!.id), (_instance, state) => state.storage.deleteAlarm());
		await env.DB.prepare('update interview set deadline_at = ? where link_id = ?')
			.bind(Date.now() - 11 * 60_000, links[0]!.id)
			.run();
		for (let run = 0; run < 2; run += 1) {
			const ctx = createExecutionContext();
			await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
			await waitOnExecutionContext(ctx);
		}
		expect(await joined.next('ended')).toMatchObject({ reason: 'deadline' });
		const records = await env.DB.prepare('select count(*) as n from record where link_id = ?').bind(links[0]!.id).first<{ n: number }>();
		expect(records?.n).toBe(1);
	});
});
