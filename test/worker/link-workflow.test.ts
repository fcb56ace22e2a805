import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link, LinkOption, ListedLink } from '../../worker/contracts/links';
import type { RecordSummary } from '../../worker/contracts/records';
import { call, callJson } from './helpers/api';
import { createInterviewer, createLinks, join, respondent, setUp, type Setup } from './helpers/interview';

type ErrorBody = { error: { code: string; message: string; details?: Record<string, number> } };

const tab = async (setup: Setup, name: 'active' | 'completed' | 'archived', interviewerId = setup.interviewer.id) =>
	(await callJson<{ links: ListedLink[] }>(`/api/interviewers/${interviewerId}/links?tab=${name}`, { as: setup.owner.as })).body.links;

async function interviewOnce(token: string, email = respondent()) {
	const joined = await join(token, { email });
	expect(joined.first.type).toBe('welcome');
	joined.socket.send(JSON.stringify({ type: 'text', content: 'I lead the design team.' }));
	joined.socket.send(JSON.stringify({ type: 'leave' }));
	await joined.next('ended');
}

describe('the Links tabs', () => {
	it('puts a link whose interviews are done in Completed, and cancelled, expired and deleted links in Archived', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 1 });
		const single = (await createLinks(setup.owner, setup.interviewer.id, { kind: 'single', count: 3 })).links;
		await interviewOnce(setup.links[0]!.token);
		await interviewOnce(single[0]!.token);
		await call(`/api/links/${single[1]!.id}/cancel`, { method: 'POST', as: setup.owner.as });
		await call(`/api/links/${single[2]!.id}`, { method: 'DELETE', as: setup.owner.as });
		const expiring = (await createLinks(setup.owner, setup.interviewer.id, { kind: 'private', names: ['Group A'], expiresInDays: 1 }))
			.links[0]!;
		await env.DB.prepare('update link set expires_at = ? where id = ?')
			.bind(Date.now() - 1000, expiring.id)
			.run();

		const completed = await tab(setup, 'completed');
		expect(completed.map((link) => [link.id, link.status])).toEqual(
			expect.arrayContaining([
				[setup.links[0]!.id, 'completed'],
				[single[0]!.id, 'completed']
			])
		);
		expect(completed).toHaveLength(2);
		const archived = await tab(setup, 'archived');
		expect(new Map(archived.map((link) => [link.id, link.status]))).toEqual(
			new Map([
				[single[1]!.id, 'cancelled'],
				[single[2]!.id, 'deleted'],
				[expiring.id, 'expired']
			])
		);
		expect(await tab(setup, 'active')).toEqual([]);
	});
});

describe('row actions', () => {
	it('offers Change settings on pending single links and on open or used-up multi-use links only', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 1 });
		const [pending, started] = (await createLinks(setup.owner, setup.interviewer.id, { kind: 'single', count: 2 })).links;
		expect(pending!.actions).toContain('changeSettings');
		expect(setup.links[0]!.actions).toContain('changeSettings');
		await join(started!.token, { email: respondent() });
		const running = await callJson<Link>(`/api/links/${started!.id}`, { as: setup.owner.as });
		expect(running.body.actions).not.toContain('changeSettings');

		await interviewOnce(setup.links[0]!.token);
		const usedUp = await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as });
		expect(usedUp.body).toMatchObject({ status: 'completed', tab: 'completed' });
		expect(usedUp.body.actions).toEqual(['changeSettings', 'delete']);

		const cancelled = await callJson<Link>(`/api/links/${pending!.id}/cancel`, { method: 'POST', as: setup.owner.as });
		expect(cancelled.body.actions).toEqual(['delete']);
	});
});

describe('the private-link limit', () => {
	it('is checked before the balance: a batch over both is refused with the limit, and the preview says so too', async () => {
		const setup = await setUp({ kind: 'private', names: ['Group 1', 'Group 2'], maxUses: 0 });
		const names = Array.from({ length: 49 }, (_, index) => `Person ${index + 1}`);
		const body = { kind: 'private', names, maxUses: 5 };
		for (const path of ['links', 'links/preview']) {
			const refused = await callJson<ErrorBody>(`/api/interviewers/${setup.interviewer.id}/${path}`, {
				method: 'POST',
				json: body,
				as: setup.owner.as
			});
			expect(refused.status, path).toBe(409);
			expect(refused.body.error.message).toBe(
				'An interviewer has at most 50 open private links; Onboarding interviewer has 2, so there is room for 48 more.'
			);
			expect(refused.body.error.details).toMatchObject({ openPrivateLinks: 2, limit: 50, room: 48 });
		}
		const withinLimit = await callJson<ErrorBody>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { ...body, names: names.slice(0, 48) },
			as: setup.owner.as
		});
		expect(withinLimit.status).toBe(402);
		expect(withinLimit.body.error.code).toBe('insufficient_tokens');
		const count = await env.DB.prepare('select count(*) as n from link where interviewer_id = ?')
			.bind(setup.interviewer.id)
			.first<{ n: number }>();
		expect(count?.n).toBe(2);
	});

	it('counts a private link past its expiry as closed, so its room is free again', async () => {
		const names = Array.from({ length: 50 }, (_, index) => `Group ${index + 1}`);
		const setup = await setUp({ kind: 'private', names, maxUses: 0, expiresInDays: 1 });
		await env.DB.prepare('update link set expires_at = ? where id = ?')
			.bind(Date.now() - 1000, setup.links[0]!.id)
			.run();
		const preview = await callJson<{ tokens: number }>(`/api/interviewers/${setup.interviewer.id}/links/preview`, {
			method: 'POST',
			json: { kind: 'private', names: ['Group 51'], maxUses: 0 },
			as: setup.owner.as
		});
		expect(preview.status).toBe(200);
		const made = await createLinks(setup.owner, setup.interviewer.id, { kind: 'private', names: ['Group 51'], maxUses: 0 });
		expect(made.links[0]!.name).toBe('Group 51');
		const expired = await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as });
		expect(expired.body.status).toBe('expired');
	});
});

describe('link names', () => {
	it('gives an unnamed link a name once, which regenerating keeps and its record carries', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const link = setup.links[0]!;
		expect(link.name).toBe(`Link ${link.token.slice(0, 6)}`);
		const stored = await env.DB.prepare('select name from link where id = ?').bind(link.id).first<{ name: string }>();
		expect(stored?.name).toBe(link.name);

		const regenerated = await callJson<Link>(`/api/links/${link.id}/regenerate`, { method: 'POST', as: setup.owner.as });
		expect(regenerated.body.token).not.toBe(link.token);
		expect(regenerated.body.name).toBe(link.name);

		await interviewOnce(regenerated.body.token);
		const records = await callJson<{ records: RecordSummary[] }>(`/api/projects/${setup.project.id}/records`, { as: setup.owner.as });
		expect(records.body.records.map((record) => record.linkName)).toEqual([link.name]);
	});

	it('refuses to rename a link to nothing, and changes nothing', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const refused = await callJson<ErrorBody>(`/api/links/${setup.links[0]!.id}`, {
			method: 'PATCH',
			json: { name: '   ' },
			as: setup.owner.as
		});
		expect(refused.status).toBe(400);
		expect((await callJson<Link>(`/api/links/${setup.links[0]!.id}`, { as: setup.owner.as })).body.name).toBe(setup.links[0]!.name);
	});

	it('stores the name unnamed links showed before, so existing links keep theirs', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const link = setup.links[0]!;
		await env.DB.prepare("update link set name = '' where id = ?").bind(link.id).run();
		const migration = env.TEST_MIGRATIONS.find((each) => each.name.includes('link_display_names'));
		expect(migration).toBeDefined();
		for (const query of migration!.queries) await env.DB.prepare(query).run();
		const read = await callJson<Link>(`/api/links/${link.id}`, { as: setup.owner.as });
		expect(read.body.name).toBe(`Link ${link.token.slice(0, 6)}`);
		const named = await env.DB.prepare("select count(*) as n from link where name = ''").first<{ n: number }>();
		expect(named?.n).toBe(0);
	});
});

describe('records from a link', () => {
	it('lists each link with its records, and filters the project’s records by any of its links', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 3 });
		const publicLink = setup.links[0]!;
		const [single, untouched] = (await createLinks(setup.owner, setup.interviewer.id, { kind: 'single', count: 2 })).links;
		const second = await createInterviewer(setup.owner, setup.project.id, { name: 'Second interviewer' });
		const privateLink = (await createLinks(setup.owner, second.id, { kind: 'private', names: ['Student Group A'], maxUses: 0 })).links[0]!;
		await interviewOnce(publicLink.token);
		await interviewOnce(publicLink.token);
		await interviewOnce(single!.token);
		await interviewOnce(privateLink.token);
		await call(`/api/links/${privateLink.id}`, { method: 'DELETE', as: setup.owner.as });

		const byLink = async (linkId: string) =>
			(await callJson<{ records: RecordSummary[] }>(`/api/projects/${setup.project.id}/records?linkId=${linkId}`, { as: setup.owner.as }))
				.body.records;
		const publicRecords = await byLink(publicLink.id);
		expect(publicRecords).toHaveLength(2);
		expect(publicRecords.every((record) => record.linkId === publicLink.id)).toBe(true);
		const singleRecords = await byLink(single!.id);
		expect(singleRecords).toHaveLength(1);
		expect(await byLink(privateLink.id)).toHaveLength(1);
		expect(await byLink(untouched!.id)).toEqual([]);

		const listed = [...(await tab(setup, 'active')), ...(await tab(setup, 'completed'))];
		const recordsOf = (id: string) => listed.find((link) => link.id === id)!.records;
		expect(recordsOf(publicLink.id)).toEqual({ count: 2, latestId: publicRecords[0]!.id });
		expect(recordsOf(single!.id)).toEqual({ count: 1, latestId: singleRecords[0]!.id });
		expect(recordsOf(untouched!.id)).toEqual({ count: 0, latestId: null });

		const options = await callJson<{ links: LinkOption[] }>(`/api/projects/${setup.project.id}/links`, { as: setup.owner.as });
		expect(options.status).toBe(200);
		expect(new Map(options.body.links.map((link) => [link.id, [link.name, link.interviewerName, link.status]]))).toEqual(
			new Map([
				[publicLink.id, [publicLink.name, setup.interviewer.name, 'active']],
				[single!.id, [single!.name, setup.interviewer.name, 'completed']],
				[untouched!.id, [untouched!.name, setup.interviewer.name, 'pending']],
				[privateLink.id, ['Student Group A', 'Second interviewer', 'deleted']]
			])
		);
	});

	it('does not list another workspace’s links, nor filter by them', async () => {
		const victim = await setUp({ kind: 'public', maxUses: 2 });
		await interviewOnce(victim.links[0]!.token);
		const attacker = await setUp();
		const options = await callJson<ErrorBody>(`/api/projects/${victim.project.id}/links`, { as: attacker.owner.as });
		expect(options.status).toBe(404);
		const records = await callJson<{ records: RecordSummary[] }>(
			`/api/projects/${attacker.project.id}/records?linkId=${victim.links[0]!.id}`,
			{ as: attacker.owner.as }
		);
		expect(records.body.records).toEqual([]);
	});
});
