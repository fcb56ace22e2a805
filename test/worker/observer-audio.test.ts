import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUp } from './helpers/api';
import { createInterviewer, createLinks, GUIDE, pcmFrame } from './helpers/interview';
import { asBrowser, running, turnSeen, watch } from './helpers/observer';
import { createProject } from './helpers/workspace';

const saved = {
	AI_PROVIDER: env.AI_PROVIDER,
	OPENAI_API_KEY: env.OPENAI_API_KEY,
	OPENAI_REALTIME_URL: env.OPENAI_REALTIME_URL,
	OPENAI_API_BASE_URL: (env as { OPENAI_API_BASE_URL?: string }).OPENAI_API_BASE_URL
};
beforeAll(() => {
	// The REST fake takes completion's name pass (and refuses this key), so nothing goes to OpenAI itself.
	Object.assign(env, {
		AI_PROVIDER: 'openai',
		OPENAI_API_KEY: inject('openaiApiKey'),
		OPENAI_REALTIME_URL: inject('openaiRealtimeUrl'),
		OPENAI_API_BASE_URL: inject('openaiRestUrl')
	});
});
afterAll(() => {
	Object.assign(env, saved);
});

const bytesOf = (frames: unknown[]) =>
	frames.reduce<number>((sum, frame) => sum + (frame instanceof Blob ? frame.size : (frame as ArrayBuffer).byteLength), 0);

describe('observers and the audio path (OpenAI Realtime fake)', () => {
	it('get the turns of a spoken exchange but none of its audio, nor the barge-in flush', async () => {
		const owner = await signUp('researcher');
		const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: GUIDE });
		const interviewer = await createInterviewer(owner, project.id, { voice: 'coral' });
		const { links } = await createLinks(owner, interviewer.id, { kind: 'single', count: 1 });
		const interview = await running(links[0]!.token);
		const observed = await watch(interview.interviewId, asBrowser(owner));
		const heardBefore = bytesOf(interview.binary);

		// Speech in both directions: the respondent talks over the greeting, the interviewer replies with audio.
		for (let index = 0; index < 50; index += 1) interview.socket.send(pcmFrame(index >= 5 && index < 35));
		const answer = await turnSeen(observed, (turn) => turn.role === 'respondent');
		expect(answer.text).toBe('I run the support team at a small bakery.');
		await turnSeen(observed, (turn) => turn.role === 'interviewer' && turn.text.startsWith('Thank you.'));
		await interview.waitFor(() => (bytesOf(interview.binary) > heardBefore ? true : undefined));
		await interview.waitFor((all) => all.find((message) => message.type === 'playback.flush'));

		expect(observed.binary).toHaveLength(0);
		expect(observed.messages.map((message) => message.type)).not.toContain('playback.flush');
		interview.socket.close();
	});
});
