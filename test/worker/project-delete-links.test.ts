import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { callJson } from './helpers/api';
import { createLinks, join, respondent, setUp } from './helpers/interview';

async function ledgerTotals(workspaceId: string) {
	const sums = await env.DB.prepare(
		'select coalesce(sum(available_delta), 0) as available, coalesce(sum(reserved_delta), 0) as reserved from ledger_entry where workspace_id = ?'
	)
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
	const balance = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
	return { sums: sums!, balance: balance! };
}

describe('deleting a project', () => {
	it('revokes all its links at once and gives back every reservation but those of interviews still running', async () => {
		const setup = await setUp({ kind: 'single', count: 3 }, { durationMinutes: 5 });
		const { owner, interviewer, project } = setup;
		const workspaceId = owner.me.workspace.id;
		const [publicLink] = (await createLinks(owner, interviewer.id, { kind: 'public', maxUses: 4 })).links;
		const privateLinks = (await createLinks(owner, interviewer.id, { kind: 'private', names: ['Group A', 'Group B'], maxUses: 2 })).links;
		const [unlimited] = (await createLinks(owner, interviewer.id, { kind: 'public', maxUses: 0 })).links;
		const running = await join(setup.links[0]!.token, { email: respondent('running') });
		const runningPublic = await join(publicLink!.token, { email: respondent('public') });
		const runningUnlimited = await join(unlimited!.token, { email: respondent('unlimited') });
		for (const joined of [running, runningPublic, runningUnlimited]) expect(joined.first.type).toBe('welcome');

		const deleted = await callJson(`/api/projects/${project.id}`, { method: 'DELETE', as: owner.as });
		expect(deleted.status).toBe(204);

		// Three interviews of 5 minutes keep their shares: 5 + 5 + 5 tokens.
		const afterDelete = await ledgerTotals(workspaceId);
		expect(afterDelete.balance).toEqual({ available: Number(env.SIGNUP_TOKENS) - 15, reserved: 15 });
		expect(afterDelete.sums).toEqual(afterDelete.balance);

		for (const link of [setup.links[1]!, publicLink!, privateLinks[0]!, unlimited!]) {
			const refused = await join(link.token, { email: respondent('late') });
			expect(refused.first).toMatchObject({ type: 'error', code: 'unknown_link' });
		}
		const statuses = await env.DB.prepare('select status, count(*) as n from link where project_id = ? group by status')
			.bind(project.id)
			.all<{ status: string; n: number }>();
		expect(statuses.results).toEqual([{ status: 'deleted', n: 7 }]);
		const counter = await env.DB.prepare('select open_private_links from interviewer where id = ?')
			.bind(interviewer.id)
			.first<{ open_private_links: number }>();
		expect(counter?.open_private_links).toBe(0);

		for (const joined of [running, runningPublic, runningUnlimited]) {
			joined.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
			await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
			joined.socket.send(JSON.stringify({ type: 'leave' }));
			expect(await joined.next('ended')).toMatchObject({ reason: 'left' });
		}
		const settled = await ledgerTotals(workspaceId);
		expect(settled.balance).toEqual({ available: Number(env.SIGNUP_TOKENS) - 3, reserved: 0 });
		expect(settled.sums).toEqual(settled.balance);
		const single = await env.DB.prepare('select status from link where id = ?').bind(setup.links[0]!.id).first<{ status: string }>();
		expect(single?.status).toBe('deleted');
	});

	it('releases nothing twice when deleted links are deleted again or the project delete is replayed', async () => {
		const { owner, project, links } = await setUp({ kind: 'single', count: 2 }, { durationMinutes: 5 });
		const workspaceId = owner.me.workspace.id;
		expect((await callJson(`/api/links/${links[0]!.id}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		expect((await callJson(`/api/projects/${project.id}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		expect((await callJson(`/api/projects/${project.id}`, { method: 'DELETE', as: owner.as })).status).toBe(404);
		const totals = await ledgerTotals(workspaceId);
		expect(totals.balance).toEqual({ available: Number(env.SIGNUP_TOKENS), reserved: 0 });
		const releases = await env.DB.prepare("select count(*) as n from ledger_entry where workspace_id = ? and kind = 'release'")
			.bind(workspaceId)
			.first<{ n: number }>();
		expect(releases?.n).toBe(2);
	});
});
