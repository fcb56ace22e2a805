import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../worker';
import { call, callJson, signUp } from './helpers/api';
import { createProject } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string } };

describe('platform', () => {
	it('reports DB, KV and R2 as healthy', async () => {
		const response = await callJson<{ status: string; checks: Record<string, { ok: boolean }> }>('/api/health');
		expect(response.status).toBe(200);
		expect(response.body.status).toBe('ok');
		expect(Object.values(response.body.checks).every((check) => check.ok)).toBe(true);
	});

	it('serves the OpenAPI document generated from the route schemas', async () => {
		const doc = (await callJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')).body;
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining(['/api/health', '/api/me', '/api/projects', '/api/projects/{projectId}', '/api/workspace/api-keys'])
		);
		expect(doc.paths['/api/projects']).toHaveProperty('post.requestBody');
	});

	it('answers unknown API routes with a JSON 404 and no-store', async () => {
		const response = await call('/api/nope');
		expect(response.status).toBe(404);
		expect(response.headers.get('Cache-Control')).toBe('no-store');
		expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
	});

	it('maps each kind of failure to its status and a stable code', async () => {
		const user = await signUp();
		const project = await createProject(user);
		const cases: [string, Parameters<typeof call>[1], number, string][] = [
			['/api/projects', { method: 'POST', body: '{', headers: { 'Content-Type': 'application/json' }, as: user.as }, 400, 'invalid_json'],
			['/api/projects', { method: 'POST', json: { name: [] }, as: user.as }, 400, 'invalid_request'],
			['/api/projects', {}, 401, 'unauthenticated'],
			[
				'/api/projects',
				{ method: 'POST', json: { name: 'x' }, as: user.as, headers: { Origin: 'https://elsewhere.example' } },
				403,
				'invalid_origin'
			],
			[`/api/projects/${crypto.randomUUID()}`, { as: user.as }, 404, 'not_found'],
			['/api/workspace/invitations', { method: 'POST', json: { email: user.email }, as: user.as }, 409, 'already_exists'],
			['/api/projects', { method: 'POST', json: { name: 'x'.repeat(2_000_000) }, as: user.as }, 413, 'payload_too_large'],
			[
				'/api/projects',
				{ method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' }, as: user.as },
				415,
				'unsupported_media_type'
			],
			[
				`/api/projects/${project.id}`,
				{ method: 'PATCH', body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, as: user.as },
				415,
				'unsupported_media_type'
			]
		];
		for (const [path, init, status, code] of cases) {
			const response = await callJson<ErrorBody>(path, init);
			expect(response.status, `${path} → ${code}`).toBe(status);
			expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
		}
	});

	it('caps bodies sent without a Content-Length', async () => {
		const user = await signUp();
		const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
		const stream = new ReadableStream({
			start(controller) {
				for (let index = 0; index < 40; index += 1) controller.enqueue(chunk);
				controller.close();
			}
		});
		const response = await call('/api/projects', {
			method: 'POST',
			body: stream,
			headers: { 'Content-Type': 'application/json' },
			as: user.as
		});
		expect(response.status).toBe(413);
	});

	it('runs the cron sweeps, which requeue unfinished purges', async () => {
		const user = await signUp();
		const project = await createProject(user);
		await env.DB.prepare('update project set deleted_at = ? where id = ?')
			.bind(Date.now() - 2 * 60 * 60 * 1000, project.id)
			.run();
		const send = vi.spyOn(env.JOBS, 'send');
		const ctx = createExecutionContext();
		await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx);
		await waitOnExecutionContext(ctx);
		expect(send).toHaveBeenCalledWith({ type: 'project.purge', workspaceId: user.me.workspace.id, projectId: project.id });
		send.mockRestore();
	});
});
