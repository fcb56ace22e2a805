import { exports } from 'cloudflare:workers';
import type { Me } from '../../../worker/contracts/api';

export const BASE_URL = 'http://127.0.0.1:8787';
/** Browsers on the app's own origin send this Origin. */
export const ORIGIN = 'http://127.0.0.1:8787';

export type Credentials = { cookie?: string; apiKey?: string };

/** Calls the Worker's fetch handler as a browser on the app's origin would (or as an API client). */
export async function call(path: string, init: RequestInit & { json?: unknown; as?: Credentials } = {}): Promise<Response> {
	const { json, as, ...rest } = init;
	const headers = new Headers(rest.headers);
	if (!headers.has('Origin')) headers.set('Origin', ORIGIN);
	if (json !== undefined) {
		headers.set('Content-Type', 'application/json');
		rest.body = JSON.stringify(json);
	}
	if (as?.cookie) headers.set('Cookie', as.cookie);
	if (as?.apiKey) headers.set('Authorization', `Bearer ${as.apiKey}`);
	return exports.default.fetch(new Request(`${BASE_URL}${path}`, { ...rest, headers }));
}

export async function callJson<T = unknown>(path: string, init: Parameters<typeof call>[1] = {}): Promise<{ status: number; body: T }> {
	const response = await call(path, init);
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export const uniqueEmail = (label = 'user') => `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`;
export const STRONG_PASSWORD = 'correct-horse-battery-staple';

function sessionCookie(response: Response): string {
	const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!);
	const session = cookies.find((cookie) => cookie.includes('session_token='));
	if (!session) throw new Error(`no session cookie in ${response.status} response`);
	return session;
}

export type TestUser = { email: string; password: string; cookie: string; me: Me; as: Credentials };

/** Signs a new user up through the real auth routes and returns their session. */
export async function signUp(label = 'user', name = 'Test Researcher'): Promise<TestUser> {
	const email = uniqueEmail(label);
	const response = await call('/api/auth/sign-up/email', { method: 'POST', json: { name, email, password: STRONG_PASSWORD } });
	if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
	const cookie = sessionCookie(response);
	const me = await callJson<Me>('/api/me', { as: { cookie } });
	return { email, password: STRONG_PASSWORD, cookie, me: me.body, as: { cookie } };
}

/** A fake client address (documentation range), unique per call: rate limits are counted per IP. */
export const uniqueIp = () => `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::1`;

/** Signs in through the real route; `ip` is sent as CF-Connecting-IP, as Cloudflare would. */
export async function signIn(email: string, password: string, ip?: string): Promise<string> {
	const headers = ip ? { 'CF-Connecting-IP': ip } : undefined;
	const response = await call('/api/auth/sign-in/email', { method: 'POST', json: { email, password }, headers });
	if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
	return sessionCookie(response);
}
