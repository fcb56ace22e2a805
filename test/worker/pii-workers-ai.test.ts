import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RecordDetail } from '../../worker/contracts/records';
import { AI_REPLIES, createFakeAi } from '../fakes/ai-binding';
import { callJson, signUp } from './helpers/api';
import { createInterviewer, createLinks, GUIDE, join, respondent } from './helpers/interview';
import { asBrowser, turnSeen, watch } from './helpers/observer';
import { createProject } from './helpers/workspace';
import { turnsOf, useWorkersAi } from './helpers/workers-ai';

/**
 * A Workers AI interview under invariant 21: the observer sees the answer pattern-redacted while it
 * runs, and at completion Llama's name pass (on the fake binding) takes the names out before R2.
 */

let fake = createFakeAi();
useWorkersAi(() => fake);

describe('a Workers AI interview with redaction on', () => {
	it('redacts live for observers, then runs the name pass on the provider and lists it on the record', async () => {
		fake = createFakeAi();
		const owner = await signUp('pii-workers-ai');
		const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: GUIDE });
		const interviewer = await createInterviewer(owner, project.id, { voice: 'luna', language: 'en' });
		const { links } = await createLinks(owner, interviewer.id, { kind: 'single', count: 1 });
		const joined = await join(links[0]!.token, { email: respondent() });
		if (joined.first.type !== 'welcome') throw new Error('join refused');
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const observed = await watch(joined.first.interview, asBrowser(owner));
		const said = 'Anna Lee trained me; her number is +44 7911 123456.';
		joined.socket.send(JSON.stringify({ type: 'text', content: said }));
		expect((await turnSeen(observed, (turn) => turn.role === 'respondent')).text).toBe('Anna Lee trained me; her number is [phone].');
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[1]));
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');

		const row = await env.DB.prepare('select id, transcript_key from record where link_id = ?')
			.bind(links[0]!.id)
			.first<{ id: string; transcript_key: string }>();
		const stored = await (await env.FILES.get(row!.transcript_key))!.text();
		expect(stored).toContain('[name] trained me; her number is [phone].');
		expect(stored).not.toContain('Anna');
		expect(stored).not.toContain('7911');
		expect(fake.record.names).toHaveLength(1);
		expect(fake.record.names[0]!.at(-1)!.content).toContain('Anna Lee trained me; her number is [phone].');
		const detail = (await callJson<RecordDetail>(`/api/records/${row!.id}`, { as: owner.as })).body;
		expect(detail.redaction).toEqual({ passes: ['respondent_email', 'patterns', 'names'], originalKept: false });
	});
});
