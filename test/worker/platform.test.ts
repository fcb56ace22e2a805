import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const BASE = 'http://127.0.0.1:8787';
const call = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`${BASE}${path}`, init));

describe('platform', () => {
	it('reports DB, KV and R2 as healthy', async () => {
		const response = await call('/api/health');
		expect(response.status).toBe(200);
		const body = await response.json<{ status: string; checks: Record<string, { ok: boolean }> }>();
		expect(body.status).toBe('ok');
		expect(Object.values(body.checks).every((check) => check.ok)).toBe(true);
	});

	it('serves the OpenAPI document generated from the route schemas', async () => {
		const response = await call('/api/openapi.json');
		const doc = await response.json<{ openapi: string; paths: Record<string, unknown> }>();
		expect(doc.openapi).toBe('3.1.0');
		expect(doc.paths).toHaveProperty('/api/health');
	});

	it('answers unknown API routes with a JSON 404', async () => {
		const response = await call('/api/nope');
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
	});
});
