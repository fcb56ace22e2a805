import { describe, expect, it } from 'vitest';
import { call, callJson, signIn, signUp, uniqueEmail, uniqueIp } from './helpers/api';

type ErrorBody = { error: { code: string; message: string } };

const PER_EMAIL_LIMIT = 10;
const PER_IP_LIMIT = 20;
const WINDOW_MS = 60_000;

/**
 * The limiter counts in windows aligned to the wall clock; a test that straddled two windows
 * would see its count reset halfway. Start each one with at least 10 s left in its window.
 */
async function startOfAFreshWindow() {
	const left = WINDOW_MS - (Date.now() % WINDOW_MS);
	if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

const attempt = (email: string, password: string, ip: string) =>
	call('/api/auth/sign-in/email', { method: 'POST', json: { email, password }, headers: { 'CF-Connecting-IP': ip } });

describe('sign-in rate limits', () => {
	it('locks an email out from the IP that guessed it, while its owner still signs in from another IP', async () => {
		await startOfAFreshWindow();
		const user = await signUp();
		const [attacker, owner] = [uniqueIp(), uniqueIp()];
		const statuses: number[] = [];
		for (let index = 0; index <= PER_EMAIL_LIMIT; index += 1)
			statuses.push((await attempt(user.email, 'wrong-password-99', attacker)).status);
		expect(statuses.slice(0, PER_EMAIL_LIMIT)).toEqual(Array(PER_EMAIL_LIMIT).fill(401));
		expect(statuses.at(-1)).toBe(429);

		const locked = await attempt(user.email, user.password, attacker);
		expect(locked.status).toBe(429);
		expect(((await locked.json()) as ErrorBody).error.code).toBe('rate_limited');

		await expect(signIn(user.email, user.password, owner)).resolves.toContain('session_token=');
	});

	it('limits one IP trying a password on many emails before 30 attempts, and no other IP', async () => {
		await startOfAFreshWindow();
		const sprayer = uniqueIp();
		const statuses: number[] = [];
		for (let index = 0; index < 30; index += 1) statuses.push((await attempt(uniqueEmail('sprayed'), 'Summer2026!', sprayer)).status);
		expect(statuses.slice(0, PER_IP_LIMIT)).toEqual(Array(PER_IP_LIMIT).fill(401));
		expect(statuses.slice(PER_IP_LIMIT)).toEqual(Array(30 - PER_IP_LIMIT).fill(429));

		const user = await signUp();
		const fromSprayer = await callJson<ErrorBody>('/api/auth/sign-in/email', {
			method: 'POST',
			json: { email: user.email, password: user.password },
			headers: { 'CF-Connecting-IP': sprayer }
		});
		expect(fromSprayer.status).toBe(429);
		await expect(signIn(user.email, user.password, uniqueIp())).resolves.toContain('session_token=');
	});
});
