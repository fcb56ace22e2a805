import { describe, expect, it } from 'vitest';
import type { CreatedApiKey, ProjectSummary } from '../../worker/contracts/api';
import { call, callJson, signUp } from './helpers/api';

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;
/** A well-formed bookmark later than anything the local database will reach in a test run. */
const FUTURE = `00000000-7fffffff-00000000-${'0'.repeat(32)}`;

function bookmarkCookie(response: Response): string | undefined {
	return response.headers.getSetCookie().find((line) => line.startsWith('parley_d1_bookmark='));
}

const cookieValue = (line: string) => line.split(';')[0]!.split('=')[1]!;

describe('dashboard reads through D1 sessions', () => {
	it("hands back the write's bookmark, and a read carrying it sees the write", async () => {
		const user = await signUp('replica');
		const created = await call('/api/projects', { method: 'POST', json: { name: 'Read my writes' }, as: user.as });
		expect(created.status).toBe(201);
		const project = (await created.json()) as { id: string };
		const written = created.headers.get('x-d1-bookmark');
		expect(written).toMatch(BOOKMARK);
		const cookie = bookmarkCookie(created);
		expect(cookie && cookieValue(cookie)).toBe(written);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/Path=\/api/);

		const read = await call('/api/projects', { as: { cookie: `${user.cookie}; parley_d1_bookmark=${written}` } });
		expect(read.status).toBe(200);
		const { projects } = (await read.json()) as { projects: ProjectSummary[] };
		expect(projects.map((entry) => entry.id)).toContain(project.id);
		const after = read.headers.get('x-d1-bookmark');
		expect(after).toMatch(BOOKMARK);
		expect(after!.localeCompare(written!)).toBeGreaterThanOrEqual(0);
	});

	it('opens the read session from the carried bookmark, and starts a mutation at the primary whatever it carries', async () => {
		const user = await signUp('replica');
		const headers = { 'x-d1-bookmark': FUTURE };
		// The session keeps the newest bookmark it has seen: only a session opened from FUTURE can hand it back.
		const read = await call('/api/projects', { headers, as: user.as });
		expect(read.status).toBe(200);
		expect(read.headers.get('x-d1-bookmark')).toBe(FUTURE);

		const write = await call('/api/projects', { method: 'POST', headers, json: { name: 'Checked at the primary' }, as: user.as });
		expect(write.status).toBe(201);
		const written = write.headers.get('x-d1-bookmark');
		expect(written).toMatch(BOOKMARK);
		expect(written!.localeCompare(FUTURE)).toBeLessThan(0);
	});

	it('ignores a bookmark that is not shaped like one and reads from the primary', async () => {
		const user = await signUp('replica');
		for (const junk of ['garbage', `${FUTURE}x`, 'first-unconstrained', ' ']) {
			const response = await call('/api/projects', { headers: { 'x-d1-bookmark': junk }, as: user.as });
			expect(response.status).toBe(200);
			expect(response.headers.get('x-d1-bookmark')).toMatch(BOOKMARK);
		}
	});

	it('gives API clients the bookmark in the header only', async () => {
		const owner = await signUp('replica');
		const key = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
			method: 'POST',
			json: { name: 'CI', role: 'admin' },
			as: owner.as
		});
		expect(key.status).toBe(201);
		const created = await call('/api/projects', { method: 'POST', json: { name: 'From CI' }, as: { apiKey: key.body.secret } });
		expect(created.status).toBe(201);
		const written = created.headers.get('x-d1-bookmark');
		expect(written).toMatch(BOOKMARK);
		expect(bookmarkCookie(created)).toBeUndefined();
		const read = await call('/api/projects', { headers: { 'x-d1-bookmark': written! }, as: { apiKey: key.body.secret } });
		const { projects } = (await read.json()) as { projects: ProjectSummary[] };
		expect(projects.map((entry) => entry.name)).toContain('From CI');
	});
});
