import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { callJson } from './helpers/api';

type Operation = {
	operationId?: string;
	security?: unknown[];
	requestBody?: { content: Record<string, { example?: unknown }> };
};
type OpenApiDocument = {
	servers: { url: string }[];
	security: Record<string, string[]>[];
	components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string }> };
	paths: Record<string, Record<string, Operation>>;
};

const operations = (doc: OpenApiDocument) =>
	Object.entries(doc.paths).flatMap(([path, methods]) =>
		Object.entries(methods).map(([method, operation]) => ({ key: `${method} ${path}`, operation }))
	);

describe('the OpenAPI document', () => {
	it("names this site as its server and the session cookie or a Bearer API key as every operation's credentials", async () => {
		const { status, body: doc } = await callJson<OpenApiDocument>('/api/openapi.json');
		expect(status).toBe(200);
		expect(doc.servers).toEqual([expect.objectContaining({ url: env.PUBLIC_BASE_URL })]);
		expect(doc.components.securitySchemes).toMatchObject({
			session: { type: 'apiKey', in: 'cookie' },
			apiKey: { type: 'http', scheme: 'bearer' }
		});
		expect(doc.security).toEqual([{ session: [] }, { apiKey: [] }]);
	});

	it('gives every operation a unique operationId and marks exactly the public ones as needing no credentials', async () => {
		const { body: doc } = await callJson<OpenApiDocument>('/api/openapi.json');
		const all = operations(doc);
		const ids = all.map(({ operation }) => operation.operationId);
		expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
		expect(new Set(ids).size).toBe(ids.length);
		expect(all.find(({ key }) => key === 'get /api/interviewers/{interviewerId}/links')?.operation.operationId).toBe('listLinks');
		const open = all.filter(({ operation }) => Array.isArray(operation.security) && operation.security.length === 0).map(({ key }) => key);
		expect(open.sort()).toEqual(
			[
				'get /api/health',
				'get /api/public/links/{token}',
				'post /api/public/links/{token}/join',
				'get /api/invitations/{token}',
				'post /api/billing/webhook',
				'get /api/dev/outbox',
				'put /api/dev/clock'
			].sort()
		);
	});

	it('documents the paging of a list: limit and cursor in, nextCursor out', async () => {
		const { body: doc } = await callJson<OpenApiDocument & { paths: Record<string, { get: { parameters: { name: string }[] } }> }>(
			'/api/openapi.json'
		);
		const names = doc.paths['/api/interviewers/{interviewerId}/links']!.get.parameters.map((parameter) => parameter.name);
		expect(names).toEqual(expect.arrayContaining(['limit', 'cursor', 'tab']));
	});

	it('shows an example of every JSON request body', async () => {
		const { body: doc } = await callJson<OpenApiDocument>('/api/openapi.json');
		const bodies = operations(doc).filter(({ operation }) => operation.requestBody?.content['application/json']);
		expect(bodies.length).toBeGreaterThan(20);
		const withoutExample = bodies.filter(({ operation }) => operation.requestBody!.content['application/json']!.example === undefined);
		expect(withoutExample.map(({ key }) => key)).toEqual([]);
	});
});
