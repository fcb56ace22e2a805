import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import type { ProjectQuotas } from '../../worker/contracts/screeners';
import { callJson } from './helpers/api';
import { join, respondent, setUp } from './helpers/interview';
import { answers, optionQuota, saveQuotas, saveScreener } from './helpers/screener';

const count = async (sql: string, id: string) => (await env.DB.prepare(sql).bind(id).first<{ n: number }>())!.n;

describe('quotas under concurrency', () => {
	for (const [name, links] of [
		['an unlimited public link', { kind: 'public', maxUses: 0 }],
		['a capped public link', { kind: 'public', maxUses: 50 }]
	] as const) {
		it(`${name}: 20 parallel joins on a quota of 3 admit exactly 3, the rest refused with quota_full`, async () => {
			const { owner, project, links: made } = await setUp({ ...links, screenerEnabled: true }, { durationMinutes: 1 });
			const link = made[0]!;
			await saveScreener(owner, project.id);
			await saveQuotas(owner, project.id, [optionQuota('ios', 3)]);
			const joins = await Promise.all(
				Array.from({ length: 20 }, (_, index) => join(link.token, { email: respondent(`q${index}`), screener: answers('ios', 30) }))
			);
			const welcomed = joins.filter((joined) => joined.first.type === 'welcome');
			expect(welcomed).toHaveLength(3);
			for (const refused of joins.filter((joined) => joined.first.type !== 'welcome')) {
				expect(refused.first).toMatchObject({ type: 'error', code: 'quota_full' });
				expect((await refused.closed).code).toBe(CLOSE_CODES.quotaFull);
			}
			expect(await count('select count(*) as n from interview where link_id = ?', link.id)).toBe(3);
			expect(await count('select uses as n from link where id = ?', link.id)).toBe(3);
			expect(
				await count('select count(*) as n from interview_quota iq join quota q on q.id = iq.quota_id where q.project_id = ?', project.id)
			).toBe(3);
			const fill = await callJson<ProjectQuotas>(`/api/projects/${project.id}/quotas`, { as: owner.as });
			expect(fill.body.quotas).toMatchObject([{ optionId: 'ios', cap: 3, filled: 3 }]);
			// What the refused joins held (an unlimited link's per-interview share) went back: only the 3 admitted hold tokens.
			const held = await count('select coalesce(sum(reserved_tokens), 0) as n from interview where link_id = ?', link.id);
			const balance = await env.DB.prepare('select reserved from token_balance where workspace_id = ?')
				.bind(owner.me.workspace.id)
				.first<{ reserved: number }>();
			if (links.maxUses === 0) expect(balance!.reserved).toBe(held);
			for (const joined of welcomed) joined.socket.close();
		});
	}

	it('a project quota holds across two links joined in parallel', async () => {
		const { owner, project, interviewer, links } = await setUp(
			{ kind: 'public', maxUses: 0, screenerEnabled: true },
			{ durationMinutes: 1 }
		);
		const second = await callJson<{ links: { token: string }[] }>(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'public', maxUses: 0, screenerEnabled: true },
			as: owner.as
		});
		await saveScreener(owner, project.id);
		await saveQuotas(owner, project.id, [optionQuota('android', 2)]);
		const tokens = [links[0]!.token, second.body.links[0]!.token];
		const joins = await Promise.all(
			Array.from({ length: 12 }, (_, index) =>
				join(tokens[index % 2]!, { email: respondent(`a${index}`), screener: answers('android', 30) })
			)
		);
		const welcomed = joins.filter((joined) => joined.first.type === 'welcome');
		expect(welcomed).toHaveLength(2);
		expect(joins.filter((joined) => (joined.first as { code?: string }).code === 'quota_full')).toHaveLength(10);
		for (const joined of welcomed) joined.socket.close();
	});
});
