import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderCapabilities } from '../../worker/contracts/providers';
import { callJson, signUp } from './helpers/api';
import { createInterviewer, GUIDE } from './helpers/interview';
import { createProject } from './helpers/workspace';

const saved = { AI_PROVIDER: env.AI_PROVIDER, OPENAI_API_KEY: env.OPENAI_API_KEY };
afterEach(() => void Object.assign(env, saved));

async function project() {
	const owner = await signUp('researcher');
	const created = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: GUIDE });
	return { owner, projectId: created.id };
}

const postInterviewer = (owner: Awaited<ReturnType<typeof project>>['owner'], projectId: string, input: Record<string, unknown>) =>
	callJson<{ error?: { code: string; message: string } }>(`/api/projects/${projectId}/interviewers`, {
		method: 'POST',
		json: { name: 'Interviewer', durationMinutes: 10, topics: [], ...input },
		as: owner.as
	});

describe('provider capabilities are checked when interviewers and links are saved', () => {
	it('openai: refuses an Aura voice and accepts its own voices', async () => {
		Object.assign(env, { AI_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test-capabilities' });
		const { owner, projectId } = await project();
		const refused = await postInterviewer(owner, projectId, { voice: 'asteria' });
		expect(refused.status).toBe(422);
		expect(JSON.stringify(refused.body)).toContain('marin');
		expect((await postInterviewer(owner, projectId, { voice: 'cedar', language: 'de' })).status).toBe(201);
	});

	it('openai: refuses more than 55 minutes (a Realtime session lasts at most 60)', async () => {
		Object.assign(env, { AI_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test-capabilities' });
		const { owner, projectId } = await project();
		expect((await postInterviewer(owner, projectId, { voice: 'marin', durationMinutes: 58 })).status).toBe(422);
	});

	it('workers-ai: refuses OpenAI voices and languages its speech models lack, on interviewers and on links', async () => {
		Object.assign(env, { AI_PROVIDER: 'workers-ai' });
		const { owner, projectId } = await project();
		expect((await postInterviewer(owner, projectId, { voice: 'coral' })).status).toBe(422);
		expect((await postInterviewer(owner, projectId, { voice: 'luna', language: 'de' })).status).toBe(422);
		const interviewer = await createInterviewer(owner, projectId, { voice: 'luna', language: 'en' });
		const badVoice = await callJson(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1, voice: 'marin' },
			as: owner.as
		});
		expect(badVoice.status).toBe(422);
		const badLanguage = await callJson(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1, language: 'fr' },
			as: owner.as
		});
		expect(badLanguage.status).toBe(422);
		const good = await callJson(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1, voice: 'orion' },
			as: owner.as
		});
		expect(good.status).toBe(201);
	});

	it('workers-ai: offers Spanish with its own voices, and refuses Russian at save time, saying why', async () => {
		Object.assign(env, { AI_PROVIDER: 'workers-ai' });
		const { owner, projectId } = await project();
		const caps = await callJson<ProviderCapabilities>('/api/providers/current', { as: owner.as });
		expect(caps.body.languages.map((language) => language.code)).toEqual(['auto', 'en', 'es']);
		expect(caps.body.languages.find((language) => language.code === 'es')).toMatchObject({
			name: 'Spanish',
			defaultVoice: 'celeste',
			voices: expect.arrayContaining(['celeste', 'javier'])
		});
		expect(caps.body.languages.find((language) => language.code === 'en')).toMatchObject({ defaultVoice: 'asteria' });
		const russian = caps.body.unavailableLanguages.find((language) => language.code === 'ru');
		expect(russian?.reason).toMatch(/can hear Russian .* but cannot speak it/);

		expect((await postInterviewer(owner, projectId, { voice: 'celeste', language: 'es' })).status).toBe(201);
		const englishVoice = await postInterviewer(owner, projectId, { voice: 'luna', language: 'es' });
		expect(englishVoice.status).toBe(422);
		expect(englishVoice.body.error?.message).toContain('celeste');
		const refused = await postInterviewer(owner, projectId, { voice: 'luna', language: 'ru' });
		expect(refused.status).toBe(422);
		expect(refused.body.error?.message).toMatch(/cannot interview in "Russian"\. .*cannot speak it/);

		const interviewer = await createInterviewer(owner, projectId, { voice: 'luna', language: 'en' });
		const spanishLink = await callJson(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1, language: 'es', voice: 'javier' },
			as: owner.as
		});
		expect(spanishLink.status).toBe(201);
		const russianLink = await callJson(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1, language: 'ru' },
			as: owner.as
		});
		expect(russianLink.status).toBe(422);
	});

	it('openai without a key falls back to local, which accepts any voice', async () => {
		Object.assign(env, { AI_PROVIDER: 'openai', OPENAI_API_KEY: '' });
		const { owner, projectId } = await project();
		expect((await postInterviewer(owner, projectId, { voice: 'anything' })).status).toBe(201);
	});
});
