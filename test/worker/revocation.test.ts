import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../worker/contracts/links';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { call, callJson } from './helpers/api';
import { join, respondent, setUp } from './helpers/interview';

async function expectRefused(token: string, closeCode: number, code: string) {
	const joined = await join(token, { email: respondent() });
	expect(joined.first).toMatchObject({ type: 'error', code });
	expect((await joined.closed).code).toBe(closeCode);
}

describe('revocation is immediate: the very next join is refused', () => {
	for (const kind of ['single', 'public'] as const) {
		const links = kind === 'single' ? { kind, count: 1 } : { kind, maxUses: 5 };

		it(`${kind}: cancel → 4401`, async () => {
			const setup = await setUp(links);
			const link = setup.links[0]!;
			expect((await call(`/api/links/${link.id}/cancel`, { method: 'POST', as: setup.owner.as })).status).toBe(200);
			await expectRefused(link.token, CLOSE_CODES.unknownLink, 'link_cancelled');
		});

		it(`${kind}: regenerate → the old token 4401, the new one works`, async () => {
			const setup = await setUp(links);
			const link = setup.links[0]!;
			const fresh = await callJson<Link>(`/api/links/${link.id}/regenerate`, { method: 'POST', as: setup.owner.as });
			expect(fresh.body.token).not.toBe(link.token);
			await expectRefused(link.token, CLOSE_CODES.unknownLink, 'unknown_link');
			expect((await join(fresh.body.token, { email: respondent() })).first.type).toBe('welcome');
		});

		it(`${kind}: delete → 4401`, async () => {
			const setup = await setUp(links);
			const link = setup.links[0]!;
			expect((await call(`/api/links/${link.id}`, { method: 'DELETE', as: setup.owner.as })).status).toBe(204);
			await expectRefused(link.token, CLOSE_CODES.unknownLink, 'unknown_link');
		});

		it(`${kind}: expiry → 4410`, async () => {
			const setup = await setUp({ ...links, expiresInDays: 1 });
			const link = setup.links[0]!;
			await env.DB.prepare('update link set expires_at = ? where id = ?')
				.bind(Date.now() - 1, link.id)
				.run();
			await expectRefused(link.token, CLOSE_CODES.expired, 'link_expired');
		});

		it(`${kind}: interviewer offline → 4423, and live again admits`, async () => {
			const setup = await setUp(links);
			const link = setup.links[0]!;
			await callJson(`/api/interviewers/${setup.interviewer.id}`, { method: 'PATCH', json: { status: 'offline' }, as: setup.owner.as });
			await expectRefused(link.token, CLOSE_CODES.offline, 'interviewer_offline');
			await callJson(`/api/interviewers/${setup.interviewer.id}`, { method: 'PATCH', json: { status: 'live' }, as: setup.owner.as });
			expect((await join(link.token, { email: respondent() })).first.type).toBe('welcome');
		});
	}

	it('public: disable → 4401, enable admits again', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 5 });
		const link = setup.links[0]!;
		await callJson(`/api/links/${link.id}`, { method: 'PATCH', json: { enabled: false }, as: setup.owner.as });
		await expectRefused(link.token, CLOSE_CODES.unknownLink, 'link_disabled');
		await callJson(`/api/links/${link.id}`, { method: 'PATCH', json: { enabled: true }, as: setup.owner.as });
		expect((await join(link.token, { email: respondent() })).first.type).toBe('welcome');
	});

	it('KV never decides status: a cached token of a cancelled link is still refused', async () => {
		const setup = await setUp();
		const link = setup.links[0]!;
		expect(await env.LINKS.get(`link-token:${link.token}`)).not.toBeNull();
		await env.DB.prepare("update link set status = 'cancelled' where id = ?").bind(link.id).run();
		await expectRefused(link.token, CLOSE_CODES.unknownLink, 'link_cancelled');
	});

	it('offline lets a running interview finish: its respondent can still rejoin', async () => {
		const setup = await setUp();
		const link = setup.links[0]!;
		const email = respondent();
		const first = await join(link.token, { email });
		expect(first.first.type).toBe('welcome');
		await callJson(`/api/interviewers/${setup.interviewer.id}`, { method: 'PATCH', json: { status: 'offline' }, as: setup.owner.as });
		expect((await join(link.token, { email })).first.type).toBe('welcome');
	});
});
