import { describe, expect, it } from 'vitest';
import type { Member, ProjectSummary } from '../../worker/contracts/api';
import type { LedgerPage } from '../../worker/contracts/billing';
import type { LinkOption, ListedLink } from '../../worker/contracts/links';
import type { RecordSummary } from '../../worker/contracts/records';
import type { ReportSummary } from '../../worker/contracts/reports';
import { callJson, signUp, type TestUser } from './helpers/api';
import { setUp } from './helpers/interview';
import { uploadText } from './records-fixtures';
import { addMember, createProject } from './helpers/workspace';

type LinksPage = { links: ListedLink[]; nextCursor: string | null };
type ErrorBody = { error: { code: string; message: string } };

/** Reads every page of a list, `limit` rows at a time, and returns the pages in order. */
async function pages<T>(owner: TestUser, path: (cursor: string | null) => string, rows: (body: T) => { id: string }[]) {
	const seen: string[][] = [];
	let cursor: string | null = null;
	do {
		const page: { status: number; body: T & { nextCursor: string | null } } = await callJson(path(cursor), { as: owner.as });
		expect(page.status).toBe(200);
		seen.push(rows(page.body).map((row) => row.id));
		cursor = page.body.nextCursor;
	} while (cursor && seen.length < 20);
	return seen;
}

describe("an interviewer's links, a page at a time", () => {
	it('pages newest first with ties broken by id, and the last page has no next cursor', async () => {
		// One batch of 7 single links shares its creation time, so only the id orders them.
		const setup = await setUp({ kind: 'single', count: 7 });
		const base = `/api/interviewers/${setup.interviewer.id}/links?tab=active`;
		const all = await callJson<LinksPage>(`${base}&limit=200`, { as: setup.owner.as });
		expect(all.body.links).toHaveLength(7);
		expect(all.body.nextCursor).toBeNull();
		const ids = all.body.links.map((link) => link.id);
		expect(ids).toEqual([...ids].sort().reverse());

		const paged = await pages<LinksPage>(
			setup.owner,
			(cursor) => `${base}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			(body) => body.links
		);
		expect(paged.map((page) => page.length)).toEqual([3, 3, 1]);
		expect(paged.flat()).toEqual(ids);
	});

	it('returns 50 by default and says there is more', async () => {
		const setup = await setUp({ kind: 'single', count: 51, durationMinutes: 2 });
		const first = await callJson<LinksPage>(`/api/interviewers/${setup.interviewer.id}/links`, { as: setup.owner.as });
		expect(first.body.links).toHaveLength(50);
		expect(first.body.nextCursor).toEqual(expect.any(String));
		const last = await callJson<LinksPage>(
			`/api/interviewers/${setup.interviewer.id}/links?cursor=${encodeURIComponent(first.body.nextCursor!)}`,
			{ as: setup.owner.as }
		);
		expect(last.body.links).toHaveLength(1);
		expect(last.body.nextCursor).toBeNull();
	});

	it('refuses a cursor it did not give out, and a limit outside 1–200, with a 400', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const base = `/api/interviewers/${setup.interviewer.id}/links`;
		for (const query of ['cursor=not-a-cursor', `cursor=${btoa('yesterday:lnk_1')}`, 'limit=0', 'limit=201', 'limit=ten']) {
			const refused = await callJson<ErrorBody>(`${base}?${query}`, { as: setup.owner.as });
			expect(refused.status, query).toBe(400);
			expect(refused.body.error.code, query).toBe('invalid_request');
		}
	});
});

describe("a project's links, a page at a time", () => {
	it('pages every link of the project newest first, across its interviewers', async () => {
		const setup = await setUp({ kind: 'single', count: 3 });
		const all = await callJson<{ links: LinkOption[]; nextCursor: string | null }>(`/api/projects/${setup.project.id}/links`, {
			as: setup.owner.as
		});
		expect(all.body.links).toHaveLength(3);
		expect(all.body.nextCursor).toBeNull();
		await checkPaging<{ links: LinkOption[] }>(
			setup.owner,
			`/api/projects/${setup.project.id}/links`,
			(body) => body.links,
			all.body.links.map((link) => link.id)
		);
	});
});

describe('the ledger, a page at a time', () => {
	it('follows the same cursor rules: a foreign cursor and a limit over 200 are refused', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const first = await callJson<LedgerPage>('/api/billing/ledger?limit=1', { as: setup.owner.as });
		expect(first.status).toBe(200);
		expect(first.body.entries).toHaveLength(1);
		expect(first.body.nextCursor).toEqual(expect.any(String));
		for (const query of ['cursor=%%%', 'limit=201', 'limit=0']) {
			const refused = await callJson<ErrorBody>(`/api/billing/ledger?${query}`, { as: setup.owner.as });
			expect(refused.status, query).toBe(400);
		}
	});
});

/** Every page of a list at `limit=2`, then the refusals every list shares. */
async function checkPaging<T>(owner: TestUser, base: string, rows: (body: T) => { id: string }[], expected: string[]) {
	const join = base.includes('?') ? '&' : '?';
	const paged = await pages<T>(owner, (cursor) => `${base}${join}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, rows);
	expect(paged.flat()).toEqual(expected);
	expect(paged.at(-1)!.length).toBeLessThanOrEqual(2);
	for (const query of ['cursor=bm90LW91cnM', 'limit=0', 'limit=201']) {
		const refused = await callJson<ErrorBody>(`${base}${join}${query}`, { as: owner.as });
		expect(refused.status, query).toBe(400);
		expect(refused.body.error.code, query).toBe('invalid_request');
	}
}

describe("a project's records and reports, a page at a time", () => {
	it('pages the records newest first, filters included', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const made = [];
		for (const name of ['one', 'two', 'three', 'four', 'five']) {
			made.push(await uploadText(setup.owner, setup.project.id, `${name}.txt`, `Interviewer: How was ${name}?\nRespondent: Fine.`));
		}
		const all = await callJson<{ records: RecordSummary[]; nextCursor: string | null }>(`/api/projects/${setup.project.id}/records`, {
			as: setup.owner.as
		});
		expect(all.body.records).toHaveLength(5);
		expect(all.body.nextCursor).toBeNull();
		const newestFirst = all.body.records.map((record) => record.id);
		expect(new Set(newestFirst)).toEqual(new Set(made.map((record) => record.id)));
		await checkPaging<{ records: RecordSummary[] }>(
			setup.owner,
			`/api/projects/${setup.project.id}/records`,
			(body) => body.records,
			newestFirst
		);
		const filtered = newestFirst.filter((id) => all.body.records.find((record) => record.id === id)!.title.includes('t'));
		await checkPaging<{ records: RecordSummary[] }>(
			setup.owner,
			`/api/projects/${setup.project.id}/records?q=t`,
			(body) => body.records,
			filtered
		);
	});

	it('pages the reports newest first', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		for (const name of ['one', 'two', 'three']) {
			const record = await uploadText(setup.owner, setup.project.id, `${name}.txt`, `Interviewer: How was ${name}?\nRespondent: Fine.`);
			const report = await callJson(`/api/records/${record.id}/reports`, { method: 'POST', as: setup.owner.as });
			expect(report.status).toBe(202);
		}
		const all = await callJson<{ reports: ReportSummary[]; nextCursor: string | null }>(`/api/projects/${setup.project.id}/reports`, {
			as: setup.owner.as
		});
		expect(all.body.reports).toHaveLength(3);
		expect(all.body.nextCursor).toBeNull();
		await checkPaging<{ reports: ReportSummary[] }>(
			setup.owner,
			`/api/projects/${setup.project.id}/reports`,
			(body) => body.reports,
			all.body.reports.map((report) => report.id)
		);
	});
});

describe("a workspace's members, a page at a time", () => {
	it('pages them in the order they joined, the owner first', async () => {
		const setup = await setUp({ kind: 'single', count: 1 });
		const joined = [setup.owner.me.user.id];
		for (const label of ['first', 'second', 'third', 'fourth']) joined.push((await addMember(setup.owner, 'member', label)).me.user.id);
		await checkPaging<{ members: Member[] }>(
			setup.owner,
			'/api/workspace/members',
			(body) => body.members.map((member) => ({ id: member.userId })),
			joined
		);
	});
});

describe("a workspace's projects, a page at a time", () => {
	it("pages every sort and order, and refuses a cursor naming another workspace's project", async () => {
		const owner = await signUp('projects');
		for (const name of ['delta', 'Alpha', 'charlie', 'Echo', 'bravo']) await createProject(owner, { name });
		const byName = ['Alpha', 'bravo', 'charlie', 'delta', 'Echo'];
		for (const [query, names] of [
			['sort=name&order=asc', byName],
			['sort=name&order=desc', [...byName].reverse()],
			['sort=created&order=desc', null],
			['sort=updated&order=asc', null]
		] as const) {
			const all = await callJson<{ projects: ProjectSummary[] }>(`/api/projects?${query}`, { as: owner.as });
			expect(all.body.projects).toHaveLength(5);
			// Creation times can tie within a millisecond, so only the name orders are known in advance.
			if (names)
				expect(
					all.body.projects.map((project) => project.name),
					query
				).toEqual(names);
			await checkPaging<{ projects: ProjectSummary[] }>(
				owner,
				`/api/projects?${query}`,
				(body) => body.projects,
				all.body.projects.map((project) => project.id)
			);
		}

		const stranger = await signUp('stranger');
		await createProject(stranger, { name: 'theirs' });
		await createProject(stranger, { name: 'theirs too' });
		const theirs = await callJson<{ nextCursor: string }>('/api/projects?limit=1', { as: stranger.as });
		const refused = await callJson<ErrorBody>(`/api/projects?cursor=${encodeURIComponent(theirs.body.nextCursor)}`, { as: owner.as });
		expect(refused.status).toBe(400);
	});
});
