import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Interview } from '../../durable-objects';
import type { Link } from '../../worker/contracts/links';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { callJson } from './helpers/api';
import { linkObject } from './helpers/durable';
import { join, joinedSocket, respondent, setUp } from './helpers/interview';
import { openSocket } from './helpers/socket';

async function linkRow(linkId: string) {
	return env.DB.prepare('select uses, status from link where id = ?').bind(linkId).first<{ uses: number; status: string }>();
}

async function balanceOf(workspaceId: string) {
	return env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
}

const interviewCount = async (linkId: string) =>
	(await env.DB.prepare('select count(*) as n from interview where link_id = ?').bind(linkId).first<{ n: number }>())!.n;

describe('a refused hello writes nothing', () => {
	it('bad emails on a capped public link use no uses: the real respondent still gets in', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 3 });
		const link = links[0]!;
		for (let index = 0; index < 3; index += 1) {
			const bad = await join(link.token, { email: 'not-an-email' });
			expect(bad.first).toMatchObject({ type: 'error', code: 'invalid_email' });
			expect((await bad.closed).code).toBe(CLOSE_CODES.badFrame);
		}
		expect(await linkRow(link.id)).toMatchObject({ uses: 0, status: 'pending' });
		expect(await interviewCount(link.id)).toBe(0);
		const real = await join(link.token, { email: respondent() });
		expect(real.first.type).toBe('welcome');
	});

	it('bad emails and missing consent on an unlimited link reserve nothing and leave no interview behind', async () => {
		const { owner, links } = await setUp({ kind: 'public', maxUses: 0 });
		const link = links[0]!;
		const before = await balanceOf(owner.me.workspace.id);
		const refusals = await Promise.all([
			...Array.from({ length: 10 }, () => join(link.token, { email: 'not-an-email' })),
			...Array.from({ length: 5 }, () => join(link.token, { email: respondent(), consent: false }))
		]);
		expect(refusals.map((refused) => (refused.first as { code?: string }).code).sort()).toEqual([
			...Array(5).fill('consent_required'),
			...Array(10).fill('invalid_email')
		]);
		expect(await balanceOf(owner.me.workspace.id)).toEqual(before);
		expect(await interviewCount(link.id)).toBe(0);
		expect(await linkRow(link.id)).toMatchObject({ uses: 0 });
	});

	it('a single-use link refuses a hello without consent and stays pending', async () => {
		const { links } = await setUp();
		const refused = await join(links[0]!.token, { email: respondent(), consent: false });
		expect(refused.first).toMatchObject({ type: 'error', code: 'consent_required' });
		expect(await linkRow(links[0]!.id)).toMatchObject({ uses: 0, status: 'pending' });
	});
});

describe('admission checks the link again when the join is asked', () => {
	/**
	 * A single-use link's socket opened before the change says hello after it (its object admits at
	 * hello); a multi-use link is admitted when its join is asked, so the join is asked after the change.
	 */
	async function helloAfter(kind: 'single' | 'public', change: (setup: Awaited<ReturnType<typeof setUp>>) => Promise<unknown>) {
		const setup = await setUp(kind === 'single' ? { kind: 'single', count: 1 } : { kind: 'public', maxUses: 5 });
		const link = setup.links[0]!;
		if (kind === 'public') {
			await change(setup);
			const late = await join(link.token, { email: respondent('late') });
			return { setup, link, first: late.first };
		}
		const early = await openSocket(`/ws/interview/${link.token}`);
		await change(setup);
		early.socket.send(JSON.stringify({ type: 'hello', protocol: 1, email: respondent('early'), consent: true }));
		return { setup, link, first: await early.next('welcome', 'error') };
	}

	for (const kind of ['single', 'public'] as const) {
		it(`a ${kind} link's join after a regenerate is refused, and the new URL still admits`, async () => {
			const { setup, link, first } = await helloAfter(kind, (s) =>
				callJson(`/api/links/${s.links[0]!.id}/regenerate`, { method: 'POST', as: s.owner.as })
			);
			expect(first).toMatchObject({ type: 'error', code: 'unknown_link' });
			expect(await interviewCount(link.id)).toBe(0);
			const fresh = await callJson<Link>(`/api/links/${link.id}`, { as: setup.owner.as });
			const real = await join(fresh.body.token, { email: respondent('real') });
			expect(real.first.type).toBe('welcome');
		});

		it(`a ${kind} link's join after the interviewer went offline is refused`, async () => {
			const { link, first } = await helloAfter(kind, (s) =>
				callJson(`/api/interviewers/${s.interviewer.id}`, { method: 'PATCH', json: { status: 'offline' }, as: s.owner.as })
			);
			expect(first).toMatchObject({ type: 'error', code: 'interviewer_offline' });
			expect((await linkRow(link.id))?.uses).toBe(0);
		});
	}
});

describe('sockets that misbehave are closed', () => {
	it('a single-use link closes a socket that never says hello', async () => {
		const { links } = await setUp();
		const idle = await openSocket(`/ws/interview/${links[0]!.token}`);
		const stub = linkObject(links[0]!.id);
		await runInDurableObject(stub, (instance: Interview) => {
			const respondents = instance['respondents'];
			for (const socket of respondents.all()) respondents.update(socket, { connectedAt: Date.now() - 60_000 });
		});
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect(await idle.next('error')).toMatchObject({ code: 'hello_timeout' });
		expect((await idle.closed).code).toBe(CLOSE_CODES.badFrame);
	});

	for (const kind of ['single', 'public'] as const) {
		it(`a ${kind} link closes a socket after ten malformed frames, answering the first nine`, async () => {
			const { links } = await setUp(kind === 'single' ? { kind: 'single', count: 1 } : { kind: 'public', maxUses: 2 });
			const noisy = kind === 'single' ? await openSocket(`/ws/interview/${links[0]!.token}`) : await joinedSocket(links[0]!.token);
			for (let index = 0; index < 10; index += 1) noisy.socket.send('{"type":');
			const closed = await noisy.closed;
			expect(closed.code).toBe(CLOSE_CODES.badFrame);
			const errors = noisy.messages.filter((message) => message.type === 'error').map((message) => (message as { code: string }).code);
			expect(errors).toEqual([...Array(9).fill('invalid_json'), 'too_many_bad_frames']);
		});
	}
});
