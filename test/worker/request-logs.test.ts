import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logInfo } from '../../worker/lib/log';
import { call, callJson } from './helpers/api';
import { join, respondent, setUp } from './helpers/interview';

type Line = Record<string, unknown> & { event: string; requestId?: string };

/** Every line written to the console while a test runs, as the runtime would ship them to Workers Logs. */
let lines: string[] = [];
beforeEach(() => {
	lines = [];
	for (const method of ['log', 'error', 'warn', 'info'] as const)
		vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
});
afterEach(() => vi.restoreAllMocks());

const parsed = () => lines.map((text) => JSON.parse(text) as Line);

describe('request logs', () => {
	it('give every request an id, in its response and in each line written while serving it', async () => {
		const first = await call('/api/health');
		const second = await call('/api/nope');
		const ray = await call('/api/health', { headers: { 'cf-ray': '8f00aa11bb22cc33-AMS' } });
		const ids = [first, second, ray].map((response) => response.headers.get('X-Request-Id'));
		expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
		expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
		expect(ids[0]).not.toBe(ids[1]);
		expect(ids[2]).toBe('8f00aa11bb22cc33-AMS');
		const requests = parsed().filter((line) => line.event === 'request');
		expect(requests).toEqual([
			expect.objectContaining({ level: 'info', requestId: ids[0], method: 'GET', path: '/api/health', status: 200 }),
			expect.objectContaining({ requestId: ids[1], path: '/api/nope', status: 404 }),
			expect.objectContaining({ requestId: ids[2], path: '/api/health', status: 200 })
		]);
		expect(parsed().every((line) => typeof line.requestId === 'string')).toBe(true);
	});

	it('report the build version on /api/health', async () => {
		const health = await callJson<{ status: string; version: string }>('/api/health');
		expect(health.body).toMatchObject({ status: 'ok', version: 'dev' });
	});

	it('never carry a link token or an email, through a join, a refused join, a page, a 404 and a password reset', async () => {
		const { owner, links } = await setUp({ kind: 'public', maxUses: 1 });
		const token = links[0]!.token;
		const email = respondent();
		lines = [];

		expect((await call(`/api/public/links/${token}`)).status).toBe(200);
		expect((await call(`/api/public/links/${token}/nope?email=${encodeURIComponent(email)}`)).status).toBe(404);
		await call(`/interview/${token}`);
		const joined = await join(token, { email });
		expect(joined.first.type).toBe('welcome');
		const refused = await join(token, { email: respondent('second') });
		expect(refused.first).toMatchObject({ type: 'error' });
		const reset = await call('/api/auth/request-password-reset', {
			method: 'POST',
			json: { email: owner.email, redirectTo: '/reset-password' }
		});
		expect(reset.status).toBe(200);
		logInfo('test.fields', { email, resumeToken: token, note: `mail ${email} https://app.example/interview/${token}?token=${token}` });

		const events = parsed().map((line) => line.event);
		expect(events).toEqual(
			expect.arrayContaining(['request', 'interview.socket_opened', 'interview.admitted', 'interview.join_refused', 'mail.dev'])
		);
		for (const line of lines) {
			expect(line).not.toContain(token);
			expect(line.toLowerCase()).not.toContain(email.toLowerCase());
			expect(line.toLowerCase()).not.toContain(owner.email.toLowerCase());
		}
		expect(parsed().find((line) => line.event === 'request' && line.status === 404)).toMatchObject({
			path: '/api/public/links/[masked]/nope'
		});
		expect(parsed().find((line) => line.event === 'mail.dev')).toMatchObject({ to: '[masked]@example.com' });
		expect(parsed().find((line) => line.event === 'test.fields')).toMatchObject({
			email: '[masked]',
			resumeToken: '[masked]',
			note: 'mail [masked]@example.com https://app.example/interview/[masked]?token=[masked]'
		});
		// A multi-use join is admitted by its HTTP request, and its socket opened by the next one: each line carries its own request's id.
		const admitted = parsed().find((line) => line.event === 'interview.admitted')!;
		const joinRequests = parsed().filter((line) => line.event === 'request' && String(line.path).endsWith('/join'));
		expect(joinRequests.map((line) => line.requestId)).toContain(admitted.requestId);
		const opened = parsed().filter((line) => line.event === 'interview.socket_opened');
		expect(opened.length).toBeGreaterThan(0);
		for (const line of opened) expect(line.requestId).toMatch(/\S/);
		for (const line of lines) expect(line).not.toMatch(/ticket=[\w-]{16,}/);
		joined.socket.close();
	});
});
