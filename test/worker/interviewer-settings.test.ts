import { describe, expect, it } from 'vitest';
import { fitBrief } from '../../worker/ai/fit-brief';
import { turnTakingOf } from '../../worker/ai/patience';
import type { InterviewBrief } from '../../worker/ai/provider';
import type { Interviewer } from '../../worker/contracts/links';
import { callJson, signUp } from './helpers/api';
import { createInterviewer, GUIDE } from './helpers/interview';
import { createProject } from './helpers/workspace';

const BRIEF: InterviewBrief = {
	researchGoals: 'Goals',
	guide: GUIDE,
	linkContext: '',
	interviewerInstructions: '',
	language: 'auto',
	voice: 'browser',
	durationMinutes: 10,
	topics: []
};

describe("an interviewer's patience", () => {
	it('is Patient unless chosen, can be changed, and refuses anything else', async () => {
		const owner = await signUp('patience');
		const project = await createProject(owner, { researchGoals: 'Goals', interviewGuide: GUIDE });
		const created = await createInterviewer(owner, project.id);
		expect(created.patience).toBe('patient');
		const quick = await callJson<Interviewer>(`/api/interviewers/${created.id}`, {
			method: 'PATCH',
			json: { patience: 'quick' },
			as: owner.as
		});
		expect(quick.body.patience).toBe('quick');
		const bad = await callJson<{ error: { code: string } }>(`/api/interviewers/${created.id}`, {
			method: 'PATCH',
			json: { patience: 'hasty' },
			as: owner.as
		});
		expect(bad.status).toBe(400);
		const read = await callJson<{ interviewers: Interviewer[] }>(`/api/projects/${project.id}/interviewers`, { as: owner.as });
		expect(read.body.interviewers[0]!.patience).toBe('quick');
	});

	it('waits longest when patient, on every provider', () => {
		const [patient, normal, quick] = (['patient', 'normal', 'quick'] as const).map((patience) => turnTakingOf({ patience }));
		expect(patient!.openAiEagerness).toBe('low');
		expect(patient!.serverVadSilenceMs).toBeGreaterThan(normal!.serverVadSilenceMs);
		expect(normal!.serverVadSilenceMs).toBeGreaterThan(quick!.serverVadSilenceMs);
		expect(patient!.fluxEotTimeoutMs).toBeGreaterThan(quick!.fluxEotTimeoutMs);
		expect(patient!.localSilenceMs).toBeGreaterThan(quick!.localSilenceMs);
		expect(turnTakingOf({})).toEqual(patient);
	});
});

describe('a brief is fitted to the provider that runs the interview', () => {
	it('gives OpenAI its default voice for the local default, and keeps a voice it has (in any case)', () => {
		expect(fitBrief('openai', BRIEF)).toMatchObject({ brief: { voice: 'marin' }, substitutions: ['voice "browser" → "marin"'] });
		expect(fitBrief('openai', { ...BRIEF, voice: 'Coral' }).brief.voice).toBe('coral');
		const kept = fitBrief('openai', { ...BRIEF, voice: 'cedar', language: 'ru' });
		expect(kept).toEqual({ brief: { ...BRIEF, voice: 'cedar', language: 'ru' }, substitutions: [] });
	});

	it('gives Aura its default for an OpenAI voice, and Workers AI a language it speaks', () => {
		const fitted = fitBrief('workers-ai', { ...BRIEF, voice: 'coral', language: 'de' });
		expect(fitted.brief).toMatchObject({ voice: 'asteria', language: 'auto' });
		expect(fitted.substitutions).toHaveLength(2);
	});

	it('gives a Spanish Workers AI interview a Spanish voice: a voice that does not fit the language becomes its default', () => {
		const fitted = fitBrief('workers-ai', { ...BRIEF, voice: 'luna', language: 'es' });
		expect(fitted).toEqual({ brief: { ...BRIEF, voice: 'celeste', language: 'es' }, substitutions: ['voice "luna" → "celeste"'] });
		expect(fitBrief('workers-ai', { ...BRIEF, voice: 'Javier', language: 'es' }).brief.voice).toBe('javier');
		expect(fitBrief('workers-ai', { ...BRIEF, voice: 'javier', language: 'en' }).brief.voice).toBe('asteria');
		expect(fitBrief('workers-ai', { ...BRIEF, voice: 'javier', language: 'ru' }).brief).toMatchObject({
			voice: 'asteria',
			language: 'auto'
		});
	});

	it('lets the local interviewer keep any voice the browser may have', () => {
		expect(fitBrief('local', { ...BRIEF, voice: 'Google русский' }).substitutions).toEqual([]);
	});
});
