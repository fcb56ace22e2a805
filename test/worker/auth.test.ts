import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, callJson, signIn, signUp, STRONG_PASSWORD, uniqueEmail } from './helpers/api';

describe('sign up and sign in', () => {
	it('gives a new user a personal workspace with the signup allowance', async () => {
		const user = await signUp('owner');
		expect(user.me.role).toBe('owner');
		expect(user.me.workspaces).toHaveLength(1);
		expect(user.me.balance.available).toBe(Number(env.SIGNUP_TOKENS));
		expect(user.me.authMethod).toBe('session');
	});

	it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
		const response = await call('/api/auth/sign-up/email', { method: 'POST', json: { name: 'A', email: uniqueEmail(), password: STRONG_PASSWORD } });
		const cookie = response.headers.getSetCookie().find((line) => line.includes('session_token='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
	});

	it('signs in again and signs out', async () => {
		const user = await signUp();
		const cookie = await signIn(user.email, user.password);
		expect((await call('/api/me', { as: { cookie } })).status).toBe(200);
		const out = await call('/api/auth/sign-out', { method: 'POST', as: { cookie } });
		expect(out.status).toBe(200);
		expect((await call('/api/me', { as: { cookie } })).status).toBe(401);
	});
});
