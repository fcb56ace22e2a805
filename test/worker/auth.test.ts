import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, callJson, signIn, signUp, STRONG_PASSWORD, uniqueEmail, uniqueIp } from './helpers/api';

type ErrorBody = { error: { code: string; message: string } };

async function userCount(): Promise<number> {
	const row = await env.DB.prepare('select count(*) as n from user').first<{ n: number }>();
	return row?.n ?? 0;
}

describe('sign up and sign in', () => {
	it('gives a new user a personal workspace with the signup allowance', async () => {
		const user = await signUp('owner');
		expect(user.me.role).toBe('owner');
		expect(user.me.workspaces).toHaveLength(1);
		expect(user.me.balance).toEqual({ available: Number(env.SIGNUP_TOKENS), reserved: 0, usedThisMonth: 0 });
		expect(user.me.authMethod).toBe('session');
		const entries = await env.DB.prepare('select kind, available_delta from ledger_entry where workspace_id = ?')
			.bind(user.me.workspace.id)
			.all();
		expect(entries.results).toEqual([{ kind: 'grant', available_delta: Number(env.SIGNUP_TOKENS) }]);
	});

	it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
		const response = await call('/api/auth/sign-up/email', {
			method: 'POST',
			json: { name: 'A', email: uniqueEmail(), password: STRONG_PASSWORD }
		});
		const cookie = response.headers.getSetCookie().find((line) => line.includes('session_token='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
	});

	it('signs in again and signs out', async () => {
		const user = await signUp();
		const cookie = await signIn(user.email, user.password);
		expect((await call('/api/me', { as: { cookie } })).status).toBe(200);
		expect((await call('/api/auth/sign-out', { method: 'POST', as: { cookie } })).status).toBe(200);
		expect((await call('/api/me', { as: { cookie } })).status).toBe(401);
	});

	it('answers a wrong password and an unknown account with the same message', async () => {
		const user = await signUp();
		const wrong = await callJson<ErrorBody>('/api/auth/sign-in/email', {
			method: 'POST',
			json: { email: user.email, password: 'not-the-password-1' }
		});
		const unknown = await callJson<ErrorBody>('/api/auth/sign-in/email', {
			method: 'POST',
			json: { email: uniqueEmail(), password: 'not-the-password-1' }
		});
		expect(wrong.status).toBe(401);
		expect(unknown.status).toBe(401);
		expect(wrong.body).toEqual(unknown.body);
		expect(wrong.body.error.code).toBe('invalid_credentials');
	});
});

describe('bad input on auth', () => {
	const cases: [string, unknown, number, string][] = [
		['an invalid email', { name: 'A', email: 'not-an-email', password: STRONG_PASSWORD }, 400, 'invalid_request'],
		['an empty name', { name: '  ', email: uniqueEmail(), password: STRONG_PASSWORD }, 400, 'invalid_request'],
		['an over-long name', { name: 'x'.repeat(121), email: uniqueEmail(), password: STRONG_PASSWORD }, 400, 'invalid_request'],
		['a short password', { name: 'A', email: uniqueEmail(), password: 'short1' }, 400, 'weak_password'],
		['a common password', { name: 'A', email: uniqueEmail(), password: 'password123' }, 400, 'weak_password'],
		['a repetitive password', { name: 'A', email: uniqueEmail(), password: 'aaaaaaaaaaaa' }, 400, 'weak_password'],
		['wrong types', { name: 1, email: true, password: [] }, 400, 'invalid_request']
	];
	for (const [label, body, status, code] of cases) {
		it(`refuses ${label} and creates nobody`, async () => {
			const before = await userCount();
			const response = await callJson<ErrorBody>('/api/auth/sign-up/email', { method: 'POST', json: body });
			expect(response.status).toBe(status);
			expect(response.body.error.code).toBe(code);
			expect(await userCount()).toBe(before);
		});
	}

	it('refuses malformed JSON', async () => {
		const response = await callJson<ErrorBody>('/api/auth/sign-up/email', {
			method: 'POST',
			body: '{"name":',
			headers: { 'Content-Type': 'application/json' }
		});
		expect(response.status).toBe(400);
		expect(response.body.error.code).toBe('invalid_json');
	});

	it('refuses a duplicate sign-up with a stable code and keeps the first account', async () => {
		const user = await signUp();
		const before = await userCount();
		const again = await callJson<ErrorBody>('/api/auth/sign-up/email', {
			method: 'POST',
			json: { name: 'B', email: user.email, password: STRONG_PASSWORD }
		});
		expect(again.status).toBe(409);
		expect(again.body.error.code).toBe('already_exists');
		expect(await userCount()).toBe(before);
		expect((await call('/api/me', { as: user.as })).status).toBe(200);
	});

	it('treats a stale session cookie as signed out', async () => {
		const user = await signUp();
		await env.DB.prepare('update session set expires_at = ? where user_id = ?')
			.bind(Date.now() - 1000, user.me.user.id)
			.run();
		const response = await callJson<ErrorBody>('/api/me', { as: user.as });
		expect(response.status).toBe(401);
		expect(response.body.error.code).toBe('unauthenticated');
	});

	it('rate-limits repeated sign-in attempts for one account', async () => {
		const user = await signUp();
		const headers = { 'CF-Connecting-IP': uniqueIp() };
		const statuses: number[] = [];
		for (let attempt = 0; attempt < 12; attempt += 1) {
			const response = await call('/api/auth/sign-in/email', {
				method: 'POST',
				json: { email: user.email, password: 'wrong-password-99' },
				headers
			});
			statuses.push(response.status);
		}
		expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
		expect(statuses.at(-1)).toBe(429);
		const limited = await callJson<ErrorBody>('/api/auth/sign-in/email', {
			method: 'POST',
			json: { email: user.email, password: user.password },
			headers
		});
		expect(limited.body.error.code).toBe('rate_limited');
	});
});

describe('password reset', () => {
	async function latestMail(to: string) {
		const outbox = await callJson<{ messages: { text: string }[] }>(`/api/dev/outbox?to=${encodeURIComponent(to)}`);
		return outbox.body.messages[0]?.text ?? '';
	}

	it('mails a reset link through the dev mailer, and the new password works', async () => {
		const user = await signUp();
		const requested = await callJson<{ message: string }>('/api/auth/request-password-reset', {
			method: 'POST',
			json: { email: user.email, redirectTo: '/reset-password' }
		});
		expect(requested.status).toBe(200);
		const link = /https?:\/\/\S+\/api\/auth\/reset-password\/(\S+?)\?/.exec(await latestMail(user.email));
		expect(link).not.toBeNull();
		const token = link![1]!;

		const weak = await callJson<ErrorBody>('/api/auth/reset-password', { method: 'POST', json: { token, newPassword: 'short' } });
		expect(weak.body.error.code).toBe('weak_password');

		const reset = await call('/api/auth/reset-password', { method: 'POST', json: { token, newPassword: 'a-brand-new-passphrase' } });
		expect(reset.status).toBe(200);
		expect((await call('/api/me', { as: user.as })).status).toBe(401);
		await expect(signIn(user.email, 'a-brand-new-passphrase')).resolves.toContain('session_token=');
	});

	it('answers an unknown email exactly like a known one, and mails nothing', async () => {
		const user = await signUp();
		const known = await callJson('/api/auth/request-password-reset', { method: 'POST', json: { email: user.email } });
		const stranger = uniqueEmail('stranger');
		const unknown = await callJson('/api/auth/request-password-reset', { method: 'POST', json: { email: stranger } });
		expect(unknown.status).toBe(known.status);
		expect(unknown.body).toEqual(known.body);
		expect(await latestMail(stranger)).toBe('');
	});
});

describe('changing the password', () => {
	const change = (user: { as: { cookie?: string } }, body: Record<string, unknown>) =>
		callJson<ErrorBody>('/api/auth/change-password', { method: 'POST', json: body, as: user.as });

	it('refuses a weak new password with weak_password, and the old password still works', async () => {
		const user = await signUp();
		for (const newPassword of ['short1', 'password123', 'aaaaaaaaaaaa']) {
			const weak = await change(user, { currentPassword: user.password, newPassword });
			expect(weak.status).toBe(400);
			expect(weak.body.error.code).toBe('weak_password');
		}
		await expect(signIn(user.email, user.password, uniqueIp())).resolves.toContain('session_token=');
	});

	it('accepts a strong new password, which then replaces the old one', async () => {
		const user = await signUp();
		const changed = await change(user, {
			currentPassword: user.password,
			newPassword: 'a-brand-new-passphrase',
			revokeOtherSessions: true
		});
		expect(changed.status).toBe(200);
		await expect(signIn(user.email, 'a-brand-new-passphrase', uniqueIp())).resolves.toContain('session_token=');
		const old = await callJson<ErrorBody>('/api/auth/sign-in/email', {
			method: 'POST',
			json: { email: user.email, password: user.password },
			headers: { 'CF-Connecting-IP': uniqueIp() }
		});
		expect(old.body.error.code).toBe('invalid_credentials');
	});

	it('refuses a wrong current password and an unknown field', async () => {
		const user = await signUp();
		const wrong = await change(user, { currentPassword: 'not-my-password-1', newPassword: 'a-brand-new-passphrase' });
		expect(wrong.status).toBe(400);
		expect(wrong.body.error.code).toBe('invalid_password');
		const unknown = await change(user, { currentPassword: user.password, newPassword: 'a-brand-new-passphrase', revokeOthers: true });
		expect(unknown.body.error.code).toBe('unknown_field');
		await expect(signIn(user.email, user.password, uniqueIp())).resolves.toContain('session_token=');
	});
});

describe('errors on the auth routes', () => {
	async function expectJsonError(response: Response, status: number, code: string) {
		expect(response.status).toBe(status);
		expect(response.headers.get('Content-Type')).toContain('application/json');
		const body = (await response.json()) as ErrorBody;
		expect(body.error.code).toBe(code);
		expect(body.error.message.length).toBeGreaterThan(0);
		return body;
	}

	it('answers an unknown auth route with a JSON not_found', async () => {
		const body = await expectJsonError(await call('/api/auth/nope'), 404, 'not_found');
		expect(body.error.message).toBe('No API route for GET /api/auth/nope.');
		await expectJsonError(await call('/api/auth/nope', { method: 'POST', json: {} }), 404, 'not_found');
	});

	it('answers a method an auth route does not take, CORS preflight included, with a JSON error', async () => {
		const preflight = await call('/api/auth/sign-in/email', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST' } });
		await expectJsonError(preflight, 404, 'not_found');
		await expectJsonError(await call('/api/auth/sign-in/email'), 404, 'not_found');
	});
});

describe('CSRF', () => {
	it('refuses a cookie-authenticated mutation from a foreign origin, and changes nothing', async () => {
		const user = await signUp();
		const response = await callJson<ErrorBody>('/api/projects', {
			method: 'POST',
			json: { name: 'Forged' },
			as: user.as,
			headers: { Origin: 'https://evil.example' }
		});
		expect(response.status).toBe(403);
		expect(response.body.error.code).toBe('invalid_origin');
		const list = await callJson<{ projects: unknown[] }>('/api/projects', { as: user.as });
		expect(list.body.projects).toEqual([]);
	});
});
