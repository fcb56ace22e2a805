import { describe, expect, it, vi } from 'vitest';
import { logError } from '../../worker/lib/log';
import { redactSecrets } from '../../worker/lib/redact';

const KEY = 'sk-proj-AbCdEf0123456789GhIjKlMnOp';

describe('secrets never reach a log line', () => {
	it.each([
		['the key as is', `Incorrect API key provided: ${KEY}.`],
		['the key in other casing', `key ${KEY.toUpperCase()} refused`],
		['the key without its prefix', `token AbCdEf0123456789GhIjKlMnOp is invalid`],
		['a bearer token', 'upstream said: Authorization: Bearer abc.def-ghi_jkl0123456789'],
		['a key nobody told us about', 'Incorrect API key provided: sk-live-zzzzzzzzzzzzzzzz'],
		['a Stripe key', 'No such customer for sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
		['a webhook secret', 'signature mismatch with whsec_abcdef1234567890'],
		['a Parley API key', 'rejected pk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']
	])('removes %s', (_name, text) => {
		const out = redactSecrets(text, [KEY]);
		expect(out).toContain('[redacted]');
		expect(out.toLowerCase()).not.toContain('abcdef0123456789');
		expect(out).not.toMatch(/sk[-_](?:proj|live|test)|whsec_|pk_A|Bearer abc/i);
	});

	it('keeps ordinary words and ids', () => {
		const text = 'interview 3f2b1c9e-1111-4222-8333-944445555666 ended: deadline';
		expect(redactSecrets(text, [KEY])).toBe(text);
	});

	it('scrubs the fields and message of every log line', () => {
		const lines: string[] = [];
		const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
		logError('provider.error', new Error(`Incorrect API key provided: sk-abcdefghijklmnop`), { detail: 'Bearer abcdefghijklmnop' });
		spy.mockRestore();
		expect(lines[0]).not.toMatch(/sk-abcdefghijklmnop|Bearer abcdefghijklmnop/);
		expect(JSON.parse(lines[0]!)).toMatchObject({
			event: 'provider.error',
			message: 'Incorrect API key provided: [redacted]',
			detail: 'Bearer [redacted]'
		});
	});
});
