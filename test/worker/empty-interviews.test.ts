import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RecordSummary } from '../../worker/contracts/records';
import type { ReportSummary } from '../../worker/contracts/reports';
import { createDatabase } from '../../worker/db/client';
import { completeInterview } from '../../worker/services/interviews';
import { call, callJson, type TestUser } from './helpers/api';
import { join, pcmFrame, respondent, setUp, type Joined, type Setup } from './helpers/interview';
import { runJobs } from './records-fixtures';

/** An interview nobody answered ends as `empty`: nothing charged, no use spent, no record in the list, no report. */

type Balance = { available: number; reserved: number };

async function balanceOf(user: TestUser): Promise<Balance> {
	const { available, reserved } = (await callJson<Balance>('/api/billing/balance', { as: user.as })).body;
	return { available, reserved };
}

/** The entries' sums, which must always equal the balance row. */
async function ledgerSums(workspaceId: string): Promise<Balance & { entries: number }> {
	const row = await env.DB.prepare(
		'select coalesce(sum(available_delta), 0) as available, coalesce(sum(reserved_delta), 0) as reserved, count(*) as entries from ledger_entry where workspace_id = ?'
	)
		.bind(workspaceId)
		.first<Balance & { entries: number }>();
	return row!;
}

async function expectLedgerConsistent(user: TestUser): Promise<void> {
	const sums = await ledgerSums(user.me.workspace.id);
	expect({ available: sums.available, reserved: sums.reserved }).toEqual(await balanceOf(user));
}

async function startAndLeave(token: string, before?: (joined: Joined) => Promise<void>): Promise<string> {
	const joined = await join(token, { email: respondent() });
	expect(joined.first.type).toBe('welcome');
	await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
	await before?.(joined);
	joined.socket.send(JSON.stringify({ type: 'leave' }));
	await joined.next('ended');
	return (joined.first as { interview: string }).interview;
}

async function interviewRow(id: string) {
	return env.DB.prepare('select status, end_reason, charged_tokens from interview where id = ?')
		.bind(id)
		.first<{ status: string; end_reason: string; charged_tokens: number }>();
}

async function linkRow(id: string) {
	return env.DB.prepare('select status, uses, completed_uses from link where id = ?')
		.bind(id)
		.first<{ status: string; uses: number; completed_uses: number }>();
}

const listRecords = async (setup: Setup, query = '') =>
	(await callJson<{ records: RecordSummary[] }>(`/api/projects/${setup.project.id}/records${query}`, { as: setup.owner.as })).body.records;

describe('empty interviews', () => {
	it('start then leave on a single-use link: not charged, the link is pending again, the record is hidden and never reported', async () => {
		const setup = await setUp();
		const link = setup.links[0]!;
		await callJson(`/api/projects/${setup.project.id}/report-settings`, {
			method: 'PATCH',
			json: { autoReport: true },
			as: setup.owner.as
		});
		const before = await balanceOf(setup.owner);
		expect(before.reserved).toBeGreaterThan(0);

		const interviewId = await startAndLeave(link.token);
		expect(await interviewRow(interviewId)).toEqual({ status: 'empty', end_reason: 'empty', charged_tokens: 0 });
		expect(await balanceOf(setup.owner)).toEqual(before);
		await expectLedgerConsistent(setup.owner);
		expect(await linkRow(link.id)).toEqual({ status: 'pending', uses: 0, completed_uses: 0 });
		const linkView = await callJson<{ status: string; tab: string }>(`/api/links/${link.id}`, { as: setup.owner.as });
		expect(linkView.body).toMatchObject({ status: 'pending', tab: 'active' });

		// The record exists but is left out of the list, the exports and reports, unless asked for.
		expect(await listRecords(setup)).toEqual([]);
		const shown = await listRecords(setup, '?includeEmpty=true');
		expect(shown).toHaveLength(1);
		expect(shown[0]).toMatchObject({ status: 'empty', linkId: link.id });
		expect(await listRecords(setup, '?status=empty')).toHaveLength(1);
		const csv = await (await call(`/api/projects/${setup.project.id}/records/export?format=csv`, { as: setup.owner.as })).text();
		expect(csv.trim().split('\r\n')).toHaveLength(1);
		expect((await call(`/api/records/${shown[0]!.id}/reports`, { method: 'POST', as: setup.owner.as })).status).toBe(409);
		await runJobs([{ type: 'interview.completed', workspaceId: setup.owner.me.workspace.id, projectId: setup.project.id, interviewId }]);
		const reports = await callJson<{ reports: ReportSummary[] }>(`/api/projects/${setup.project.id}/reports`, { as: setup.owner.as });
		expect(reports.body.reports).toEqual([]);

		// The respondent starts again on the same link; this time they answer, and the reservation pays for it.
		const again = await join(link.token, { email: respondent() });
		expect(again.first.type).toBe('welcome');
		expect((again.first as { interview: string }).interview).not.toBe(interviewId);
		expect((again.first as { transcript: unknown[] }).transcript).toEqual([]);
		again.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await again.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		again.socket.send(JSON.stringify({ type: 'leave' }));
		await again.next('ended');
		expect(await linkRow(link.id)).toEqual({ status: 'completed', uses: 1, completed_uses: 1 });
		const after = await balanceOf(setup.owner);
		expect(after).toEqual({ available: before.available + before.reserved - 1, reserved: 0 });
		await expectLedgerConsistent(setup.owner);
		const records = await listRecords(setup);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ status: 'ready' });
	});

	it('speaking only while muted is empty too', async () => {
		const setup = await setUp();
		const before = await balanceOf(setup.owner);
		const interviewId = await startAndLeave(setup.links[0]!.token, async (joined) => {
			joined.socket.send(JSON.stringify({ type: 'mute', on: true }));
			for (let index = 0; index < 40; index += 1) joined.socket.send(pcmFrame(index < 30));
			joined.socket.send(JSON.stringify({ type: 'ping' }));
			await joined.next('state');
		});
		expect(await interviewRow(interviewId)).toMatchObject({ status: 'empty', charged_tokens: 0 });
		expect(await balanceOf(setup.owner)).toEqual(before);
		expect(await linkRow(setup.links[0]!.id)).toMatchObject({ status: 'pending', uses: 0 });
	});

	it('a capped public link gets its use back, so its last use still admits someone', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 1 });
		const link = setup.links[0]!;
		const before = await balanceOf(setup.owner);
		await startAndLeave(link.token);
		expect(await balanceOf(setup.owner)).toEqual(before);
		expect(await linkRow(link.id)).toMatchObject({ uses: 0, completed_uses: 0 });
		await expectLedgerConsistent(setup.owner);
		const next = await join(link.token, { email: respondent() });
		expect(next.first.type).toBe('welcome');
	});

	it('an unlimited public link releases the interview reservation: the balance is as before', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 0 });
		const before = await balanceOf(setup.owner);
		const interviewId = await startAndLeave(setup.links[0]!.token);
		expect(await interviewRow(interviewId)).toMatchObject({ status: 'empty', charged_tokens: 0 });
		expect(await balanceOf(setup.owner)).toEqual(before);
		expect(await linkRow(setup.links[0]!.id)).toMatchObject({ uses: 0 });
		await expectLedgerConsistent(setup.owner);
	});

	it('completing an empty interview again changes nothing (completion runs at least once)', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3 });
		const link = setup.links[0]!;
		const interviewId = await startAndLeave(link.token);
		const settled = {
			balance: await balanceOf(setup.owner),
			ledger: await ledgerSums(setup.owner.me.workspace.id),
			link: await linkRow(link.id)
		};
		const row = await env.DB.prepare('select * from interview where id = ?').bind(interviewId).first<{ reserved_tokens: number }>();
		const replay = {
			interviewId,
			workspaceId: setup.owner.me.workspace.id,
			projectId: setup.project.id,
			interviewerId: setup.interviewer.id,
			linkId: link.id,
			linkKind: 'public' as const,
			linkName: link.name,
			email: null,
			status: 'completed' as const,
			endReason: 'left',
			endedAt: Date.now(),
			usedMs: 5_000,
			reservation: `link:${link.id}`,
			shareTokens: row!.reserved_tokens,
			transcriptKey: 'unused',
			audioKey: null,
			turns: [{ role: 'interviewer' as const, text: 'Hello' }]
		};
		expect(await completeInterview(env, createDatabase(env.DB), replay)).toEqual({ empty: true });
		expect(await completeInterview(env, createDatabase(env.DB), replay)).toEqual({ empty: true });
		expect(await balanceOf(setup.owner)).toEqual(settled.balance);
		expect(await ledgerSums(setup.owner.me.workspace.id)).toEqual(settled.ledger);
		expect(await linkRow(link.id)).toEqual(settled.link);
		expect(await listRecords(setup, '?includeEmpty=true')).toHaveLength(1);
	});
});
