import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import type { AiSettings, ProviderCapabilities } from '../../worker/contracts/providers';
import { callJson } from './helpers/api';
import { createInterviewer, join, respondent, setUp } from './helpers/interview';
import { addMember } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string } };
const originalKey = env.OPENAI_API_KEY;

describe('the per-workspace AI provider', () => {
	afterEach(() => {
		env.OPENAI_API_KEY = originalKey;
	});

	it('defaults to the server provider and offers only what this server can run', async () => {
		const { owner } = await setUp();
		const settings = await callJson<AiSettings>('/api/workspace/ai', { as: owner.as });
		expect(settings.body).toEqual({ provider: 'local', preference: null, available: [{ name: 'local', label: expect.any(String) }] });
		const refused = await callJson<ErrorBody>('/api/workspace/ai', { method: 'PATCH', json: { provider: 'openai' }, as: owner.as });
		expect(refused.status).toBe(422);
		expect((await callJson<AiSettings>('/api/workspace/ai', { as: owner.as })).body.preference).toBeNull();
	});

	it('switches one workspace to OpenAI once a key is set: capabilities, checks and new interviews follow, other workspaces do not', async () => {
		env.OPENAI_API_KEY = 'sk-test-workspace-choice';
		const chooser = await setUp();
		const other = await setUp();
		const saved = await callJson<AiSettings>('/api/workspace/ai', { method: 'PATCH', json: { provider: 'openai' }, as: chooser.owner.as });
		expect(saved.body).toMatchObject({ provider: 'openai', preference: 'openai' });

		const caps = await callJson<ProviderCapabilities>('/api/providers/current', { as: chooser.owner.as });
		expect(caps.body).toMatchObject({ provider: 'openai', defaultVoice: 'marin' });
		expect((await callJson<ProviderCapabilities>('/api/providers/current', { as: other.owner.as })).body.provider).toBe('local');

		const badVoice = await callJson<ErrorBody>(`/api/projects/${chooser.project.id}/interviewers`, {
			method: 'POST',
			json: { name: 'x', voice: 'Google UK English Female' },
			as: chooser.owner.as
		});
		expect(badVoice.status).toBe(422);
		expect((await createInterviewer(other.owner, other.project.id, { voice: 'Google UK English Female' })).voice).toBe(
			'Google UK English Female'
		);

		const reset = await callJson<AiSettings>('/api/workspace/ai', { method: 'PATCH', json: { provider: null }, as: chooser.owner.as });
		expect(reset.body).toMatchObject({ provider: 'local', preference: null });
		await join(chooser.links[0]!.token, { email: respondent() });
		const row = await env.DB.prepare('select provider from interview where link_id = ?')
			.bind(chooser.links[0]!.id)
			.first<{ provider: string }>();
		expect(row?.provider).toBe('local');
	});

	it('only admins and owners choose the provider', async () => {
		const { owner } = await setUp();
		const member = await addMember(owner, 'member');
		const refused = await callJson<ErrorBody>('/api/workspace/ai', { method: 'PATCH', json: { provider: 'local' }, as: member.as });
		expect(refused.status).toBe(403);
		const bad = await callJson<ErrorBody>('/api/workspace/ai', { method: 'PATCH', json: { provider: 'gpt-9' }, as: owner.as });
		expect(bad.status).toBe(400);
	});
});
