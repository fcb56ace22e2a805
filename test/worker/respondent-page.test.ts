import { describe, expect, it } from 'vitest';
import { call } from './helpers/api';

type ErrorBody = { error: { code: string; message: string } };

const directive = (policy: string, name: string) =>
	policy
		.split(';')
		.map((part) => part.trim())
		.find((part) => part.startsWith(`${name} `));

async function sha256Source(source: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(source));
	return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

describe('the respondent page’s HTML shell at /interview/<token>', () => {
	it('names the respondent build’s files, is never cached and allows no script but its own files and the theme script', async () => {
		const response = await call('/interview/any-token');
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
		expect(response.headers.get('Cache-Control')).toBe('no-store');
		expect(response.headers.get('X-Frame-Options')).toBe('DENY');
		expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
		expect(response.headers.get('Permissions-Policy')).toContain('microphone=(self)');
		const html = await response.text();
		// The stub manifest's files (test/worker/stubs/respondent-manifest.json).
		expect(html).toContain('<script type="module" src="/respondent/main-stub.js"></script>');
		expect(html).toContain('<link rel="modulepreload" href="/respondent/shared-stub.js" />');
		expect(html).toContain('<link rel="stylesheet" href="/respondent/main-stub.css" />');
		expect(html).toContain('<div class="app-root" id="respondent"></div>');
		expect(html).toContain('<noscript>');

		const policy = response.headers.get('Content-Security-Policy') ?? '';
		const inline = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((match) => match[1]!);
		expect(inline).toHaveLength(1);
		expect(inline[0]).toContain("localStorage.getItem('parley.theme')");
		expect(directive(policy, 'script-src')).toBe(`script-src 'self' ${await sha256Source(inline[0]!)}`);
		expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
		expect(directive(policy, 'default-src')).toBe("default-src 'self'");
		expect(policy).not.toContain('unsafe');
	});

	it('speaks the browser’s language before the page’s script runs', async () => {
		const russian = await (await call('/interview/any-token', { headers: { 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.8' } })).text();
		expect(russian).toContain('<html lang="ru">');
		expect(russian).toContain('<title>Интервью</title>');
		expect(russian).toContain('<link rel="modulepreload" href="/respondent/messages-ru-stub.js" />');
		expect(russian).not.toContain('messages-en-stub.js');
		const english = await (await call('/interview/any-token', { headers: { 'Accept-Language': 'de-DE,en;q=0.5' } })).text();
		expect(english).toContain('<html lang="en">');
		expect(english).toContain('<title>Interview</title>');
		expect(english).toContain('<link rel="modulepreload" href="/respondent/messages-en-stub.js" />');
		expect(english).not.toContain('messages-ru-stub.js');
		expect(await (await call('/interview/any-token')).text()).toContain('<html lang="en">');
	});

	it('answers HEAD without a body, and other methods with a 405 JSON error', async () => {
		const head = await call('/interview/any-token', { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(await head.text()).toBe('');
		for (const method of ['POST', 'PUT', 'DELETE']) {
			const response = await call('/interview/any-token', { method });
			expect(response.status, method).toBe(405);
			expect(response.headers.get('Allow')).toBe('GET, HEAD');
			const body = (await response.json()) as ErrorBody;
			expect(body.error.code).toBe('method_not_allowed');
		}
	});

	it('is served for one token segment only; other paths are the web app’s (its 404)', async () => {
		for (const path of ['/interview/', '/interview/a/b', '/interviews/a', '/embed/']) {
			const response = await call(path);
			expect(await response.text(), path).not.toContain('id="respondent"');
		}
		const embedded = await call('/embed/any-token');
		expect(await embedded.text()).toContain('id="respondent"');
	});
});
