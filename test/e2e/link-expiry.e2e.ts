import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { LedgerPage } from '../../worker/contracts/billing';
import type { CreatedLinks } from '../../worker/contracts/links';
import { test } from './fixtures';
import { apiRequest } from './helpers/accounts';
import { createReadyProject } from './helpers/projects';
import { api } from './helpers/respondent';

const DAY_MS = 24 * 60 * 60_000;

/** Moves the dev server's clock (loopback only); 0 puts it back. */
async function moveServerClock(offsetMs: number) {
	const moved = await api('/api/dev/clock', { method: 'PUT', json: { offsetMs } });
	expect(moved.status, JSON.stringify(moved.body)).toBe(200);
}

/** Runs the Cron Trigger's sweeps now, as the scheduler would. */
async function runCron(page: Page) {
	const response = await page.request.get('/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*');
	expect(response.status()).toBe(200);
}

/**
 * Joins from the page, as the respondent's browser does: asks the join, and opens the socket it
 * answers with and says hello. The refusal and the close code it gets, from either step.
 */
function joinFromBrowser(page: Page, url: string) {
	return page.evaluate(async (token) => {
		const hello = { email: 'late@example.com', consent: true };
		const answer = await fetch(`/api/public/links/${token}/join`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(hello)
		});
		const body = (await answer.json()) as { url?: string; refused?: { code: string; closeCode: number | null } };
		if (body.refused) return { error: body.refused.code, code: body.refused.closeCode ?? 1000 };
		return new Promise<{ error: string | null; code: number }>((resolve) => {
			const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}${body.url}`);
			let error: string | null = null;
			socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', protocol: 1, ...hello }));
			socket.onmessage = (event) => {
				const message = JSON.parse(String(event.data)) as { type: string; code?: string };
				if (message.type === 'error') error = message.code ?? null;
			};
			socket.onclose = (event) => resolve({ error, code: event.code });
		});
	}, new URL(url).pathname.split('/interview/')[1]!);
}

describe('a link that expires', () => {
	test('shows Expired under Archived, refuses its respondent with 4410, and gives its reservation back once', async ({
		signedIn: { page, problems },
		onTestFinished
	}) => {
		const projectId = await createReadyProject(page);
		const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${projectId}/interviewers`, {
			name: 'Ava',
			durationMinutes: 10
		});
		const { links } = await apiRequest<CreatedLinks>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
			kind: 'public',
			name: 'Spring panel',
			maxUses: 2,
			expiresInDays: 1
		});
		const link = links[0]!;
		expect(link.reservedTokens).toBe(20);

		onTestFinished(() => moveServerClock(0));
		await moveServerClock(DAY_MS + 60_000);
		await Promise.all([runCron(page), runCron(page), page.goto(`/projects/${projectId}/links?tab=archived`)]);

		const row = page.getByRole('row').filter({ hasText: 'Spring panel' });
		await row.waitFor();
		await row.getByText('Expired', { exact: true }).waitFor();
		expect(await page.getByRole('tab', { name: /Archived/, selected: true }).count()).toBe(1);

		expect(await joinFromBrowser(page, link.url)).toEqual({ error: 'link_expired', code: 4410 });
		await page.goto(link.url);
		await page.getByText('This interview link has expired.').waitFor();

		await runCron(page);
		const ledger = await page.request.get(`/api/billing/ledger?limit=200`);
		const entries = ((await ledger.json()) as LedgerPage).entries.filter((entry) => entry.reference === `link:${link.id}`);
		expect(entries.map((entry) => [entry.kind, entry.availableDelta, entry.reservedDelta]).sort()).toEqual([
			['release', 20, -20],
			['reserve', -20, 20]
		]);
		expect(problems).toEqual([]);
	});
});
