import type { Page, Route } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { apiRequest } from './helpers/accounts';
import { createReadyProject, topBarBalance } from './helpers/projects';

type Sent = { key: string | undefined; body: string | null };

/** Long enough for both clicks of a double click to land while the first request is in flight. */
const IN_FLIGHT_MS = 400;

/**
 * Watches the POSTs to one API path. The first `lose` of them reach the server, which does the
 * work, but the browser gets a network failure instead of the answer: the case where a retry
 * with a fresh key would do the work twice. The others are held a moment on their way.
 */
async function interceptPosts(page: Page, path: RegExp, { lose = 0 } = {}) {
	const sent: Sent[] = [];
	const lost: number[] = [];
	await page.route(path, async (route: Route) => {
		const request = route.request();
		if (request.method() !== 'POST') return route.fallback();
		sent.push({ key: request.headers()['idempotency-key'], body: request.postData() });
		if (lost.length >= lose) {
			await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_MS));
			return route.continue();
		}
		const answered = await route.fetch();
		lost.push(answered.status());
		await route.abort('connectionreset');
	});
	return { sent, lost };
}

async function getJson<T>(page: Page, path: string): Promise<T> {
	const response = await page.request.get(path);
	expect(response.ok(), `GET ${path}: ${response.status()}`).toBe(true);
	return (await response.json()) as T;
}

/** Time for a stray second request, were one sent, to land before counting. */
const afterStrayRequests = (page: Page) => page.waitForTimeout(3 * IN_FLIGHT_MS);

const balance = (page: Page) => getJson<{ available: number; reserved: number }>(page, '/api/billing/balance');

const ledgerKinds = async (page: Page, kind: string) =>
	(await getJson<{ entries: { note: string | null }[] }>(page, `/api/billing/ledger?kind=${kind}&limit=100`)).entries;

/** Console lines other than the network failures these tests cause on purpose. */
const unexpected = (problems: string[]) => problems.filter((problem) => !/net::ERR_CONNECTION_RESET/.test(problem));

describe('idempotency: one key per intent', () => {
	test('creating links again after a lost answer, or with a double click, creates each batch once', async ({
		signedIn: { page, problems }
	}) => {
		const projectId = await createReadyProject(page);
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Ava',
			durationMinutes: 15
		});
		const creates = await interceptPosts(page, /\/api\/interviewers\/[^/]+\/links$/, { lose: 1 });
		const activeLinks = async () =>
			(await getJson<{ links: unknown[] }>(page, `/api/interviewers/${interviewer.id}/links?tab=active`)).links.length;

		await page.goto(`/projects/${projectId}/links`);
		await page.getByRole('button', { name: 'Create links' }).first().click();
		const dialog = page.getByRole('dialog', { name: 'Create links' });
		await dialog.getByLabel('Number of links').fill('2');
		await dialog.getByRole('status').filter({ hasText: 'This reserves 30 tokens (2 links × 15 min × 1 token).' }).waitFor();

		await dialog.getByRole('button', { name: 'Create 2 links' }).click();
		await dialog.getByRole('alert').filter({ hasText: 'Parley could not be reached' }).waitFor();
		expect(creates.lost).toEqual([201]);
		expect(await activeLinks()).toBe(2);

		await dialog.getByRole('button', { name: 'Create 2 links' }).click();
		await page.getByRole('dialog', { name: 'Links created' }).waitFor();
		expect(await activeLinks()).toBe(2);
		expect(await ledgerKinds(page, 'reserve')).toHaveLength(2);
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 90, reserved: 30 });
		expect(creates.sent).toHaveLength(2);
		expect(creates.sent[0]!.key).toBeTruthy();
		expect(creates.sent[1]).toEqual(creates.sent[0]);

		await page.getByRole('button', { name: 'Create more' }).click();
		await dialog.getByLabel('Number of links').fill('1');
		await dialog.getByRole('status').filter({ hasText: 'This reserves 15 tokens (1 link × 15 min × 1 token).' }).waitFor();
		await dialog.getByRole('button', { name: 'Create link' }).dblclick();
		await page.getByRole('dialog', { name: 'Links created' }).waitFor();
		await afterStrayRequests(page);
		await expect.poll(() => topBarBalance(page)).toEqual({ available: 75, reserved: 45 });
		expect(await activeLinks()).toBe(3);
		expect(await ledgerKinds(page, 'reserve')).toHaveLength(3);
		const doubleClicked = creates.sent.slice(2);
		expect(doubleClicked.length).toBeGreaterThanOrEqual(1);
		expect(new Set(doubleClicked.map((sent) => sent.key)).size).toBe(1);
		expect(doubleClicked[0]!.key).not.toBe(creates.sent[0]!.key);

		expect(unexpected(problems)).toEqual([]);
	});

	test('a dev top-up retried after a lost answer, or double-clicked, credits each purchase once', async ({
		signedIn: { page, problems }
	}) => {
		const topUps = await interceptPosts(page, /\/api\/billing\/dev-top-up$/, { lose: 1 });

		await page.goto('/billing');
		await page.getByText('Local server without Stripe').waitFor();
		const button = page.getByRole('button', { name: /^Dev top-up \(local only\)/ }).first();
		await button.click();
		await page.getByText('Parley could not be reached. Check your connection and try again.').waitFor();
		expect(topUps.lost).toEqual([200]);

		await button.click();
		await page
			.getByText(/Added [\d,]+ tokens \(dev top-up, no payment\)/)
			.first()
			.waitFor();
		const added = Number(
			/Added ([\d,]+) tokens/
				.exec(
					await page
						.getByText(/Added [\d,]+ tokens/)
						.first()
						.innerText()
				)![1]!
				.replace(/,/g, '')
		);
		await afterStrayRequests(page);
		expect(await balance(page)).toMatchObject({ available: 120 + added, reserved: 0 });
		expect((await ledgerKinds(page, 'grant')).filter((entry) => entry.note?.includes('Dev top-up'))).toHaveLength(1);
		expect(topUps.sent).toHaveLength(2);
		expect(topUps.sent[0]!.key).toBeTruthy();
		expect(topUps.sent[1]).toEqual(topUps.sent[0]);

		await button.dblclick();
		await expect.poll(() => balance(page)).toMatchObject({ available: 120 + 2 * added });
		await afterStrayRequests(page);
		expect(await balance(page)).toMatchObject({ available: 120 + 2 * added, reserved: 0 });
		expect((await ledgerKinds(page, 'grant')).filter((entry) => entry.note?.includes('Dev top-up'))).toHaveLength(2);
		const doubleClicked = topUps.sent.slice(2);
		expect(doubleClicked.length).toBeGreaterThanOrEqual(1);
		expect(new Set(doubleClicked.map((sent) => sent.key)).size).toBe(1);
		expect(doubleClicked[0]!.key).not.toBe(topUps.sent[0]!.key);

		expect(unexpected(problems)).toEqual([]);
	});
});
