import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../worker';
import type { Link, PublicLink } from '../../worker/contracts/links';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { clockOffset, now, setClockOffset } from '../../worker/lib/clock';
import { callJson, signUp } from './helpers/api';
import { join, respondent, setUp } from './helpers/interview';
import { createProject } from './helpers/workspace';

const DAY_MS = 24 * 60 * 60_000;

async function runSweeps() {
	const ctx = createExecutionContext();
	await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: now() }), env, ctx);
	await waitOnExecutionContext(ctx);
}

/** The ledger entries of one link's reservation, oldest first. */
async function reservationEntries(linkId: string) {
	const { results } = await env.DB.prepare(
		'select kind, available_delta as available, reserved_delta as reserved from ledger_entry where reference = ? order by created_at, rowid'
	)
		.bind(`link:${linkId}`)
		.all<{ kind: string; available: number; reserved: number }>();
	return results;
}

async function balanceOf(workspaceId: string) {
	return env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
}

async function expectRefusedAsExpired(token: string) {
	const joined = await join(token, { email: respondent() });
	expect(joined.first).toMatchObject({ type: 'error', code: 'link_expired' });
	expect((await joined.closed).code).toBe(CLOSE_CODES.expired);
}

afterEach(() => setClockOffset(0));

describe('the server clock is one seam that tests move', () => {
	it('moves what admission, the views and the public link read, and puts it back at 0', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 2, expiresInDays: 1 });
		const link = setup.links[0]!;
		const read = () => callJson<Link>(`/api/links/${link.id}`, { as: setup.owner.as });
		expect((await read()).body.status).toBe('pending');
		setClockOffset(DAY_MS + 60_000);
		expect(clockOffset()).toBe(DAY_MS + 60_000);
		expect((await read()).body).toMatchObject({ status: 'expired', tab: 'archived' });
		expect((await callJson<PublicLink>(`/api/public/links/${link.token}`)).body.state).toBe('expired');
		setClockOffset(0);
		expect((await read()).body.status).toBe('pending');
		expect((await callJson<PublicLink>(`/api/public/links/${link.token}`)).body.state).toBe('open');
	});
});

describe('the sweeps read the same clock', () => {
	it('requeues the purge of a deleted project only once the server clock says an hour has passed', async () => {
		const user = await signUp();
		const project = await createProject(user);
		await env.DB.prepare('update project set deleted_at = ? where id = ?').bind(Date.now(), project.id).run();
		const send = vi.spyOn(env.JOBS, 'send');
		const purge = { type: 'project.purge', workspaceId: user.me.workspace.id, projectId: project.id };
		try {
			await runSweeps();
			expect(send).not.toHaveBeenCalledWith(purge);
			setClockOffset(2 * 60 * 60_000);
			await runSweeps();
			expect(send).toHaveBeenCalledWith(purge);
		} finally {
			send.mockRestore();
		}
	});
});

describe('a link that expires, end to end', () => {
	for (const kind of ['single', 'public', 'private'] as const) {
		const input =
			kind === 'single'
				? { kind, count: 1, expiresInDays: 1 }
				: kind === 'public'
					? { kind, maxUses: 3, expiresInDays: 1 }
					: { kind, names: ['Group A'], maxUses: 3, expiresInDays: 1 };

		it(`${kind}: is listed as Expired under Archived, refuses joins with 4410 and releases its reservation exactly once`, async () => {
			const setup = await setUp(input);
			const link = setup.links[0]!;
			const workspaceId = setup.owner.me.workspace.id;
			const before = await balanceOf(workspaceId);
			expect(link.reservedTokens).toBeGreaterThan(0);

			setClockOffset(DAY_MS + 60_000);
			const archived = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links?tab=archived`, {
				as: setup.owner.as
			});
			expect(archived.body.links.find((row) => row.id === link.id)).toMatchObject({ status: 'expired', tab: 'archived' });
			const active = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links?tab=active`, {
				as: setup.owner.as
			});
			expect(active.body.links.some((row) => row.id === link.id)).toBe(false);
			await expectRefusedAsExpired(link.token);

			await runSweeps();
			await runSweeps();
			expect(await reservationEntries(link.id)).toEqual([
				{ kind: 'reserve', available: -link.reservedTokens, reserved: link.reservedTokens },
				{ kind: 'release', available: link.reservedTokens, reserved: -link.reservedTokens }
			]);
			expect(await balanceOf(workspaceId)).toEqual({
				available: before!.available + link.reservedTokens,
				reserved: before!.reserved - link.reservedTokens
			});
		});
	}

	it('a join racing the sweeps and a list read at the moment of expiry is refused, and the reservation is released once', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3, expiresInDays: 1 });
		const link = setup.links[0]!;
		setClockOffset(DAY_MS + 1);
		const [joined] = await Promise.all([
			join(link.token, { email: respondent() }),
			runSweeps(),
			runSweeps(),
			callJson(`/api/interviewers/${setup.interviewer.id}/links?tab=archived`, { as: setup.owner.as })
		]);
		expect(joined.first).toMatchObject({ type: 'error', code: 'link_expired' });
		expect((await joined.closed).code).toBe(CLOSE_CODES.expired);
		expect((await reservationEntries(link.id)).map((entry) => entry.kind)).toEqual(['reserve', 'release']);
	});

	it('a link that has not reached its date yet keeps admitting and keeps its reservation', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3, expiresInDays: 2 });
		const link = setup.links[0]!;
		setClockOffset(DAY_MS);
		await runSweeps();
		expect((await reservationEntries(link.id)).map((entry) => entry.kind)).toEqual(['reserve']);
		const joined = await join(link.token, { email: respondent() });
		expect(joined.first.type).toBe('welcome');
		joined.socket.close();
	});
});
