import { describe, expect, it } from 'vitest';
import { call, callJson, signUp, type Credentials } from './helpers/api';

type OpenApi = { paths: Record<string, Record<string, { requestBody?: unknown }>> };

const JUNK_BODIES: [string, string][] = [
	['malformed JSON', '{"name": '],
	['a JSON array', '[1, 2, 3]'],
	['a JSON string', '"hello"'],
	['null', 'null'],
	['an empty object', '{}'],
	[
		'wrong types everywhere',
		JSON.stringify({ name: 42, kind: [], count: 'many', email: {}, role: 7, names: 'x', enabled: 'yes', status: null, researchGoals: 1 })
	],
	['deep nesting', '{"a":'.repeat(200) + '1' + '}'.repeat(200)],
	['unicode junk', JSON.stringify({ name: '\u0000\uFFFF\uD800', email: '💥@💥', token: '../../etc/passwd' })]
];

const IDS = ['00000000-0000-4000-8000-000000000000', "x' OR '1'='1", '%ff%fe', 'a'.repeat(64)];

/** Every documented route, with path parameters filled by `id`. */
async function routes(as: Credentials) {
	const doc = (await callJson<OpenApi>('/api/openapi.json', { as })).body;
	return Object.entries(doc.paths).flatMap(([path, methods]) =>
		Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), hasBody: Boolean(operation.requestBody) }))
	);
}

const fill = (path: string, id: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(id)).replace('/api/api/', '/api/');

describe('no input causes a 5xx', () => {
	it('every documented route answers junk bodies and odd ids with a 4xx JSON error', async () => {
		const user = await signUp('fuzz');
		const all = await routes(user.as);
		expect(all.length).toBeGreaterThan(30);
		const failures: string[] = [];
		let sent = 0;
		for (const route of all) {
			if (route.path.includes('/auth/') || route.path.endsWith('/webhook')) continue;
			for (const id of IDS) {
				const url = fill(route.path, id);
				const attempts = route.hasBody ? JUNK_BODIES : [['no body', ''] as [string, string]];
				for (const [label, body] of attempts) {
					sent += 1;
					const response = await call(url, {
						method: route.method,
						as: user.as,
						...(route.hasBody ? { body, headers: { 'Content-Type': 'application/json' } } : {})
					});
					if (response.status >= 500) failures.push(`${route.method} ${url} (${label}) → ${response.status} ${await response.text()}`);
					else if (response.status >= 400) {
						const parsed = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
						if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string')
							failures.push(`${route.method} ${url} (${label}) → ${response.status} without an error body`);
					} else await response.arrayBuffer();
				}
			}
		}
		expect(failures).toEqual([]);
		expect(sent).toBeGreaterThan(300);
	}, 120_000);
});
