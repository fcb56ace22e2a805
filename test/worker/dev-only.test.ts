import { createExecutionContext, env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedApiKey } from '../../worker/contracts/api';
import type { PackageList } from '../../worker/contracts/billing';
import { createApi } from '../../worker/api/app';
import { clockOffset, setClockOffset } from '../../worker/lib/clock';
import { snapshot } from './billing-helpers';
import { callJson, ORIGIN, signUp, STRONG_PASSWORD, uniqueEmail, uniqueIp } from './helpers/api';

type ErrorBody = { error: { code: string; message: string } };

/** The public host a deployment is reached on; its configuration here still says 127.0.0.1. */
const PUBLIC_HOST = 'https://parley.example.com';
/** The API with some settings changed, for requests that need a different configuration. */
const api = createApi();

async function publicRequest(path: string, init: RequestInit & { json?: unknown } = {}, config: Partial<Env> = {}) {
	const { json, ...rest } = init;
	const headers = new Headers({ Origin: ORIGIN, ...Object.fromEntries(new Headers(rest.headers)) });
	if (json !== undefined) headers.set('Content-Type', 'application/json');
	const request = new Request(`${PUBLIC_HOST}${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
	const response = Object.keys(config).length
		? await api.fetch(request, { ...env, ...config }, createExecutionContext())
		: await exports.default.fetch(request);
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as ErrorBody };
}

function expectNoSuchRoute(response: { status: number; body: ErrorBody }, route: string) {
	expect(response.status).toBe(404);
	expect(response.body.error).toEqual({ code: 'not_found', message: `No API route for ${route}.` });
}

describe('development conveniences exist only for requests to a loopback host', () => {
	it('answers the dev outbox at a public host with 404, though the configuration is loopback', async () => {
		const user = await signUp();
		expect((await callJson(`/api/dev/outbox?to=${encodeURIComponent(user.email)}`)).status).toBe(200);
		expectNoSuchRoute(await publicRequest('/api/dev/outbox?to=a@b.c'), 'GET /api/dev/outbox');
		expectNoSuchRoute(
			await publicRequest(`/api/dev/outbox?to=${encodeURIComponent(user.email)}`, { headers: { Cookie: user.cookie } }),
			'GET /api/dev/outbox'
		);
	});

	it('answers a dev top-up at a public host with 404 and credits nothing, to a session or an API key', async () => {
		const owner = await signUp('dev-host');
		const key = await callJson<CreatedApiKey>('/api/workspace/api-keys', {
			method: 'POST',
			json: { name: 'ops', role: 'admin' },
			as: owner.as
		});
		const before = await snapshot(owner.me.workspace.id);
		const topUp = { method: 'POST', json: { packageId: 'scale' } };
		expectNoSuchRoute(
			await publicRequest('/api/billing/dev-top-up', { ...topUp, headers: { Cookie: owner.cookie } }),
			'POST /api/billing/dev-top-up'
		);
		expectNoSuchRoute(
			await publicRequest('/api/billing/dev-top-up', { ...topUp, headers: { Authorization: `Bearer ${key.body.secret}` } }),
			'POST /api/billing/dev-top-up'
		);
		expectNoSuchRoute(await publicRequest('/api/billing/dev-top-up', topUp), 'POST /api/billing/dev-top-up');
		expect(await snapshot(owner.me.workspace.id)).toEqual(before);
	});

	it('does not offer dev top-ups in the package list at a public host', async () => {
		const local = await callJson<PackageList>('/api/billing/packages');
		expect(local.body.checkout).toBe('dev');
		const remote = await publicRequest('/api/billing/packages');
		expect((remote.body as unknown as PackageList).checkout).toBe('none');
	});

	it('signs sessions with the fixed development secret only for loopback requests', async () => {
		const noSecret = { BETTER_AUTH_SECRET: '' };
		const signUpBody = () => ({ name: 'A', email: uniqueEmail(), password: STRONG_PASSWORD });
		const headers = { 'CF-Connecting-IP': uniqueIp() };
		const remote = await publicRequest('/api/auth/sign-up/email', { method: 'POST', json: signUpBody(), headers }, noSecret);
		expect(remote.status).toBe(503);
		expect(remote.body.error.code).toBe('unavailable');

		const loopback = new Request(`${ORIGIN}/api/auth/sign-up/email`, {
			method: 'POST',
			headers: { Origin: ORIGIN, 'Content-Type': 'application/json', ...headers },
			body: JSON.stringify(signUpBody())
		});
		expect((await api.fetch(loopback, { ...env, ...noSecret }, createExecutionContext())).status).toBe(200);
	});

	describe('the dev clock', () => {
		afterEach(() => setClockOffset(0));
		const move = (offsetMs: unknown) => ({ method: 'PUT', json: { offsetMs } });

		it('moves the server clock on a loopback server, and 0 puts it back', async () => {
			const moved = await callJson<{ offsetMs: number; now: string }>('/api/dev/clock', move(86_400_000));
			expect(moved.status).toBe(200);
			expect(moved.body.offsetMs).toBe(86_400_000);
			expect(clockOffset()).toBe(86_400_000);
			expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(86_000_000);
			expect((await callJson('/api/dev/clock', move(0))).status).toBe(200);
			expect(clockOffset()).toBe(0);
		});

		it('answers at a public host with 404 and leaves the clock alone, signed in or not', async () => {
			const owner = await signUp('dev-clock');
			expectNoSuchRoute(await publicRequest('/api/dev/clock', move(86_400_000)), 'PUT /api/dev/clock');
			expectNoSuchRoute(
				await publicRequest('/api/dev/clock', { ...move(86_400_000), headers: { Cookie: owner.cookie } }),
				'PUT /api/dev/clock'
			);
			expect(clockOffset()).toBe(0);
		});

		it('answers at a loopback host of a server configured with a public base URL with 404', async () => {
			const request = new Request(`${ORIGIN}/api/dev/clock`, {
				method: 'PUT',
				headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
				body: JSON.stringify({ offsetMs: 86_400_000 })
			});
			const response = await api.fetch(request, { ...env, PUBLIC_BASE_URL: PUBLIC_HOST }, createExecutionContext());
			expect(response.status).toBe(404);
			expect(clockOffset()).toBe(0);
		});

		it('refuses a bad offset with 400 and leaves the clock alone', async () => {
			for (const offsetMs of ['tomorrow', 1.5, 1e15, null]) {
				const refused = await callJson<ErrorBody>('/api/dev/clock', move(offsetMs));
				expect(refused.status).toBe(400);
				expect(refused.body.error.code).toBeTruthy();
			}
			const extra = await callJson<ErrorBody>('/api/dev/clock', { method: 'PUT', json: { offsetMs: 1, at: 'now' } });
			expect(extra.body.error.code).toBe('unknown_field');
			expect(clockOffset()).toBe(0);
		});
	});
});
