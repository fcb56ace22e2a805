import { env } from 'cloudflare:workers';
import { createMessageBatch, getQueueResult, createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker';
import type { Project, ProjectSummary } from '../../worker/contracts/api';
import { GUIDE_LIMITS } from '../../worker/contracts/guide';
import { projectPrefix } from '../../worker/lib/storage-keys';
import { call, callJson, signUp } from './helpers/api';
import { createProject, SAMPLE_GUIDE } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string } };

describe('projects', () => {
	it('creates, reads, renames and lists projects with search and sorting', async () => {
		const user = await signUp();
		const alpha = await createProject(user, { name: 'Alpha pricing study' });
		const beta = await createProject(user, { name: 'beta onboarding' });
		await callJson(`/api/projects/${alpha.id}`, { method: 'PATCH', json: { name: 'Alpha pricing study v2' }, as: user.as });

		const byUpdate = await callJson<{ projects: ProjectSummary[] }>('/api/projects', { as: user.as });
		expect(byUpdate.body.projects.map((project) => project.id)).toEqual([alpha.id, beta.id]);
		const byName = await callJson<{ projects: ProjectSummary[] }>('/api/projects?sort=name&order=asc', { as: user.as });
		expect(byName.body.projects.map((project) => project.name)).toEqual(['Alpha pricing study v2', 'beta onboarding']);
		const search = await callJson<{ projects: ProjectSummary[] }>('/api/projects?q=ONBOARD', { as: user.as });
		expect(search.body.projects.map((project) => project.id)).toEqual([beta.id]);
		const wildcard = await callJson<{ projects: ProjectSummary[] }>('/api/projects?q=%25', { as: user.as });
		expect(wildcard.body.projects).toEqual([]);
	});

	it('reports the research context as complete only with goals and at least one question', async () => {
		const user = await signUp();
		const project = await createProject(user);
		expect(project.contextComplete).toBe(false);
		const goalsOnly = await callJson<Project>(`/api/projects/${project.id}`, {
			method: 'PATCH',
			json: { researchGoals: 'Learn why trials stall.' },
			as: user.as
		});
		expect(goalsOnly.body.contextComplete).toBe(false);
		const both = await callJson<Project>(`/api/projects/${project.id}`, {
			method: 'PATCH',
			json: { interviewGuide: SAMPLE_GUIDE },
			as: user.as
		});
		expect(both.body.contextComplete).toBe(true);
		expect(both.body.interviewGuideMarkdown).toBe('## Warm-up\n\n1. Tell me about your role.\n   - What does a typical day look like?\n');
	});

	it('parses a pasted guide on the server too', async () => {
		const user = await signUp();
		const parsed = await callJson<{ sections: { title: string; questions: { text: string; probes: string[] }[] }[] }>('/api/guides/parse', {
			method: 'POST',
			json: { text: 'Background:\n1. What do you do?\n   - For how long?\n2. Which tools do you use?' },
			as: user.as
		});
		expect(parsed.status).toBe(200);
		expect(parsed.body.sections[0]!.title).toBe('Background');
		expect(parsed.body.sections[0]!.questions.map((question) => question.probes)).toEqual([['For how long?'], []]);
	});

	it('soft-deletes at once, then the queued job purges its files', async () => {
		const user = await signUp();
		const project = await createProject(user);
		const prefix = projectPrefix(user.me.workspace.id, project.id);
		await env.FILES.put(`${prefix}records/one.json`, '{}');
		await env.FILES.put(`${prefix}audio/one.wav`, 'RIFF');

		expect((await call(`/api/projects/${project.id}`, { method: 'DELETE', as: user.as })).status).toBe(204);
		expect((await call(`/api/projects/${project.id}`, { as: user.as })).status).toBe(404);

		const batch = createMessageBatch('parley-jobs', [
			{
				id: 'purge-1',
				timestamp: new Date(),
				attempts: 1,
				body: { type: 'project.purge', workspaceId: user.me.workspace.id, projectId: project.id }
			}
		]);
		const ctx = createExecutionContext();
		await worker.queue(batch, env, ctx);
		const result = await getQueueResult(batch, ctx);
		expect(result.explicitAcks).toEqual(['purge-1']);
		expect((await env.FILES.list({ prefix })).objects).toEqual([]);
		const row = await env.DB.prepare('select purged_at from project where id = ?').bind(project.id).first<{ purged_at: number }>();
		expect(row?.purged_at).toBeGreaterThan(0);
	});

	describe('bad input changes nothing', () => {
		const bigGuide = {
			sections: Array.from({ length: 20 }, (_, section) => ({
				id: `s${section}`,
				title: `Section ${section}`,
				questions: Array.from({ length: 40 }, (_, question) => ({ id: `q${section}-${question}`, text: 'x'.repeat(200), probes: [] }))
			}))
		};
		const cases: [string, unknown, string][] = [
			['an empty name', { name: '' }, 'invalid_request'],
			['a blank name', { name: '   ' }, 'invalid_request'],
			['an over-long name', { name: 'n'.repeat(121) }, 'invalid_request'],
			['over-long research goals', { researchGoals: 'g'.repeat(8_001) }, 'invalid_request'],
			[`a guide over ${GUIDE_LIMITS.totalBytes / 1024} KB`, { interviewGuide: bigGuide }, 'invalid_request'],
			[
				'a guide with an empty question',
				{ interviewGuide: { sections: [{ id: 's', title: '', questions: [{ id: 'q', text: ' ', probes: [] }] }] } },
				'invalid_request'
			],
			['wrong types', { name: 42, interviewGuide: 'text' }, 'invalid_request'],
			['an empty patch', {}, 'invalid_request']
		];
		for (const [label, patch, code] of cases) {
			it(`refuses ${label}`, async () => {
				const user = await signUp();
				const project = await createProject(user, { researchGoals: 'Original goals' });
				const response = await callJson<ErrorBody>(`/api/projects/${project.id}`, { method: 'PATCH', json: patch, as: user.as });
				expect(response.status).toBe(400);
				expect(response.body.error.code).toBe(code);
				const after = await callJson<Project>(`/api/projects/${project.id}`, { as: user.as });
				expect(after.body).toEqual(project);
			});
		}

		it('refuses a non-JSON body with 415 and an oversized body with 413', async () => {
			const user = await signUp();
			const plain = await callJson<ErrorBody>('/api/projects', {
				method: 'POST',
				body: 'name=x',
				headers: { 'Content-Type': 'text/plain' },
				as: user.as
			});
			expect(plain.status).toBe(415);
			expect(plain.body.error.code).toBe('unsupported_media_type');
			const huge = await callJson<ErrorBody>('/api/projects', {
				method: 'POST',
				json: { name: 'x', researchGoals: 'y'.repeat(2 * 1024 * 1024) },
				as: user.as
			});
			expect(huge.status).toBe(413);
			expect(huge.body.error.code).toBe('payload_too_large');
			const list = await callJson<{ projects: unknown[] }>('/api/projects', { as: user.as });
			expect(list.body.projects).toEqual([]);
		});
	});

	describe('a pasted guide that breaks a limit', () => {
		const sections = (count: number) =>
			Array.from({ length: count }, (_, index) => `## Part ${index + 1}\n1. Question ${index + 1}?`).join('\n');
		const cases: [string, string, string][] = [
			[
				`a question over ${GUIDE_LIMITS.questionChars} characters`,
				`## Intro\n1. ${'q'.repeat(GUIDE_LIMITS.questionChars + 1)}?`,
				`Section 1, question 1: Questions are at most ${GUIDE_LIMITS.questionChars} characters.`
			],
			[
				`a heading over ${GUIDE_LIMITS.titleChars} characters`,
				`## ${'t'.repeat(GUIDE_LIMITS.titleChars + 1)}\n1. Why?`,
				`Section 1: Section titles are at most ${GUIDE_LIMITS.titleChars} characters.`
			],
			[
				`${GUIDE_LIMITS.sections + 1} sections`,
				sections(GUIDE_LIMITS.sections + 1),
				`A guide has at most ${GUIDE_LIMITS.sections} sections.`
			]
		];
		for (const [label, text, message] of cases) {
			it(`answers 422 naming the limit for ${label}`, async () => {
				const user = await signUp();
				const response = await callJson<ErrorBody>('/api/guides/parse', { method: 'POST', json: { text }, as: user.as });
				expect(response.status).toBe(422);
				expect(response.body.error).toMatchObject({ code: 'unprocessable', message });
			});
		}

		it(`still parses a guide at exactly the limits`, async () => {
			const user = await signUp();
			const response = await callJson<{ sections: unknown[] }>('/api/guides/parse', {
				method: 'POST',
				json: { text: sections(GUIDE_LIMITS.sections) },
				as: user.as
			});
			expect(response.status).toBe(200);
			expect(response.body.sections).toHaveLength(GUIDE_LIMITS.sections);
		});
	});
});
