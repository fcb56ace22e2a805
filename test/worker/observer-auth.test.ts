import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { call, callJson, signUp } from './helpers/api';
import { setUp } from './helpers/interview';
import { asBrowser, createApiKey, running, watch, welcomeOf, withKey, type Observed } from './helpers/observer';
import { addMember } from './helpers/workspace';

/** A refused observer gets exactly one error frame, then the close code the error table gives it. */
async function expectRefused(observed: Observed & { first: unknown }, code: string, closeCode: number) {
	expect(observed.first).toMatchObject({ type: 'error', code });
	expect((await observed.closed).code).toBe(closeCode);
	expect(observed.messages).toHaveLength(1);
	expect(observed.binary).toHaveLength(0);
}

describe('who may watch an interview', () => {
	it('welcomes the workspace’s researchers: the owner’s and a member’s session from the app, and an API key', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const member = await addMember(owner, 'member');
		const key = await createApiKey(owner);

		for (const headers of [asBrowser(owner), asBrowser(member), withKey(key)]) {
			const observed = await watch(interview.interviewId, headers);
			expect(welcomeOf(observed.first)).toMatchObject({ interview: interview.interviewId, status: 'active', respondent: interview.email });
			observed.socket.close();
		}
	});

	it('refuses another workspace’s researcher and API key as if the interview did not exist (4604), and sends nothing else', async () => {
		const { links } = await setUp();
		const interview = await running(links[0]!.token);
		const stranger = await signUp('stranger');
		const strangerKey = await createApiKey(stranger);

		await expectRefused(await watch(interview.interviewId, asBrowser(stranger)), 'interview_not_found', CLOSE_CODES.interviewNotFound);
		await expectRefused(await watch(interview.interviewId, withKey(strangerKey)), 'interview_not_found', CLOSE_CODES.interviewNotFound);
		await expectRefused(await watch('no-such-interview', asBrowser(stranger)), 'interview_not_found', CLOSE_CODES.interviewNotFound);
		await expectRefused(await watch('x'.repeat(500), asBrowser(stranger)), 'interview_not_found', CLOSE_CODES.interviewNotFound);
	});

	it('refuses missing, revoked and malformed credentials, and a cookie sent from another site, with 4601 and nothing else', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const key = await createApiKey(owner);
		const keys = await callJson<{ apiKeys: { id: string }[] }>('/api/workspace/api-keys', { as: owner.as });
		for (const each of keys.body.apiKeys) await call(`/api/workspace/api-keys/${each.id}`, { method: 'DELETE', as: owner.as });

		const attempts: Record<string, string>[] = [
			{},
			withKey(key),
			{ Authorization: 'Basic abc' },
			withKey('pk_not-a-key'),
			{ Cookie: 'better-auth.session_token=forged', Origin: 'http://127.0.0.1:8787' },
			{ Cookie: owner.cookie, Origin: 'https://evil.example' },
			{ Cookie: owner.cookie }
		];
		for (const headers of attempts) {
			const observed = await watch(interview.interviewId, headers);
			await expectRefused(observed, 'observer_unauthenticated', CLOSE_CODES.observerUnauthenticated);
		}
	});

	it('answers a plain GET with 426 and no socket', async () => {
		const { owner, links } = await setUp();
		const interview = await running(links[0]!.token);
		const response = await callJson<{ error: { code: string } }>(`/ws/observe/${interview.interviewId}`, { as: owner.as });
		expect(response.status).toBe(426);
		expect(response.body.error.code).toBe('upgrade_required');
	});

	it('gives observer refusals close codes no respondent refusal uses', () => {
		const respondentCodes = Object.entries(CLOSE_CODES)
			.filter(([name]) => name !== 'observerUnauthenticated' && name !== 'interviewNotFound')
			.map(([, code]) => code);
		expect(respondentCodes).not.toContain(CLOSE_CODES.observerUnauthenticated);
		expect(respondentCodes).not.toContain(CLOSE_CODES.interviewNotFound);
	});
});
