/**
 * How an interview configures its OpenAI Realtime session, against a fake that refuses what OpenAI
 * refuses: the voice fitted to the provider, turn detection from the interviewer's patience (and its
 * fallback), spoken output.
 */
import { describe, expect, it } from 'vitest';
import type { AiSettings } from '../../worker/contracts/providers';
import { callJson } from './helpers/api';
import { createInterviewer, createLinks, join, respondent } from './helpers/interview';
import { latestSession, openaiInterview, turnsOf, useOpenAi } from './helpers/openai';

const { logs } = useOpenAi();

const chooseProvider = async (as: { cookie?: string }, provider: 'local' | 'openai') => {
	const saved = await callJson<AiSettings>('/api/workspace/ai', { method: 'PATCH', json: { provider }, as });
	expect(saved.body.provider).toBe(provider);
};

describe('the OpenAI session is configured with what OpenAI accepts', () => {
	it('fits a voice saved under the local provider to OpenAI: the session.update carries marin and draws no error', async () => {
		const { marker, owner, project } = await openaiInterview();
		await chooseProvider(owner.as, 'local');
		const local = await createInterviewer(owner, project.id, { voice: 'browser' });
		expect(local.voice).toBe('browser');
		const { links } = await createLinks(owner, local.id, { kind: 'single', count: 1 });
		await chooseProvider(owner.as, 'openai');

		const joined = await join(links[0]!.token, { email: respondent() });
		expect(joined.first).toMatchObject({ type: 'welcome', provider: 'openai' });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const session = await latestSession(marker);
		expect(session.session!.audio.output.voice).toBe('marin');
		expect(session.errors).toEqual([]);
		expect(session.protocolErrors).toEqual([]);
		expect(joined.messages.filter((message) => message.type === 'error')).toEqual([]);
		expect(logs.some((line) => line.includes('provider.brief_fitted') && line.includes('voice \\"browser\\" → \\"marin\\"'))).toBe(true);
		joined.socket.close();
	});
});
