import { describe, expect, it } from 'vitest';
import type { LedgerPage } from '../../worker/contracts/billing';
import type { ListedLink } from '../../worker/contracts/links';
import { callJson, type TestUser } from './helpers/api';
import { setUp } from './helpers/interview';

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
