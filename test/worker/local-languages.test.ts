import { describe, expect, it } from 'vitest';
import type { RecordDetail } from '../../worker/contracts/records';
import type { ServerMessage } from '../../worker/contracts/protocol';
import { call, callJson, signUp } from './helpers/api';
import { createInterviewer, createLinks, join, respondent, type Joined } from './helpers/interview';
import { createProject } from './helpers/workspace';

/** The test guide with a Russian wording for its first two questions (the third has none). */
const GUIDE = {
	sections: [
		{
			id: 's1',
			title: 'Background',
			questions: [
				{
					id: 'q1',
					text: 'What is your role?',
					probes: ['How long have you been in it?'],
					translations: { ru: { text: 'Чем вы занимаетесь?', probes: ['Как давно?'] } }
				},
				{
					id: 'q2',
					text: 'Which tools do you use every day?',
					probes: [],
					translations: { ru: { text: 'Какими инструментами вы пользуетесь каждый день?' } }
				}
			]
		},
		{ id: 's2', title: 'Onboarding', questions: [{ id: 'q3', text: 'How did your first week go?', probes: [] }] }
	]
};

async function linkFor(language: string, guide: unknown = GUIDE) {
	const owner = await signUp('researcher');
	const project = await createProject(owner, { researchGoals: 'Learn how new users get started.', interviewGuide: guide });
	const interviewer = await createInterviewer(owner, project.id, { language });
	const { links } = await createLinks(owner, interviewer.id, { kind: 'single', count: 1 });
	return { owner, project, link: links[0]! };
}

const interviewerTurns = (joined: Joined) =>
	joined.messages.flatMap((message: ServerMessage) => (message.type === 'turn' && message.role === 'interviewer' ? [message.text] : []));

async function answer(joined: Joined, text: string) {
	const before = interviewerTurns(joined).length;
	joined.socket.send(JSON.stringify({ type: 'text', content: text }));
	await joined.waitFor(() => (interviewerTurns(joined).length > before ? true : undefined));
}

const LONG = 'Я руковожу небольшой командой дизайнеров и отвечаю за онбординг в нашем приложении.';

describe('the local interviewer speaks the interview’s language', () => {
	it('asks the researcher’s translations in a Russian interview, says once that the rest is read as written, and the record keeps the guide’s words', async () => {
		const { owner, project, link } = await linkFor('ru');
		const joined = await join(link.token, { email: respondent() });
		await joined.waitFor(() => (interviewerTurns(joined).length >= 2 ? true : undefined));
		const [greeting, first] = interviewerTurns(joined);
		expect(greeting).toContain('Здравствуйте');
		expect(greeting).toContain('Вопросы написаны по-английски');
		expect(first).toBe('Чем вы занимаетесь?');
		await answer(joined, LONG);
		expect(interviewerTurns(joined).at(-1)).toBe('Спасибо. Какими инструментами вы пользуетесь каждый день?');
		await answer(joined, LONG);
		expect(interviewerTurns(joined).at(-1)).toBe('Спасибо. How did your first week go?');
		await answer(joined, LONG);
		expect(await joined.next('ended')).toMatchObject({ reason: 'completed' });

		const records = await callJson<{ records: { id: string }[] }>(`/api/projects/${project.id}/records`, { as: owner.as });
		const record = await callJson<RecordDetail>(`/api/records/${records.body.records[0]!.id}`, { as: owner.as });
		expect(record.body.coverage.map((entry) => entry.question)).toEqual([
			'What is your role?',
			'Which tools do you use every day?',
			'How did your first week go?'
		]);
	});

	it('follows the respondent’s page language when the interviewer is on Auto', async () => {
		const { link } = await linkFor('auto');
		const joined = await join(link.token, { email: respondent(), language: 'ru-RU' });
		await joined.waitFor(() => (interviewerTurns(joined).length >= 2 ? true : undefined));
		expect(interviewerTurns(joined)[0]).toContain('Здравствуйте');
		expect(interviewerTurns(joined)[1]).toBe('Чем вы занимаетесь?');

		const english = await linkFor('auto');
		const other = await join(english.link.token, { email: respondent(), language: 'en-GB' });
		await other.waitFor(() => (interviewerTurns(other).length >= 2 ? true : undefined));
		expect(interviewerTurns(other)[0]).toMatch(/^Hi, and thank you/);
		expect(interviewerTurns(other)[0]).not.toContain('written in');
		expect(interviewerTurns(other)[1]).toBe('What is your role?');
	});

	it('says nothing about the guide’s language when every question is translated or the guide is in the interview’s language', async () => {
		const russianGuide = {
			sections: [{ id: 's1', title: '', questions: [{ id: 'q1', text: 'Чем вы занимаетесь?', probes: [] }] }]
		};
		const { link } = await linkFor('ru', russianGuide);
		const joined = await join(link.token, { email: respondent() });
		await joined.waitFor(() => (interviewerTurns(joined).length >= 2 ? true : undefined));
		expect(interviewerTurns(joined)[0]).not.toContain('Вопросы написаны');
	});

	it('refuses translations keyed by anything but a language code, or too many of them', async () => {
		const owner = await signUp('researcher');
		const question = (translations: unknown) => ({
			sections: [{ id: 's1', title: '', questions: [{ id: 'q1', text: 'Why?', probes: [], translations }] }]
		});
		for (const translations of [
			{ Russian: { text: 'Почему?' } },
			{ ru: { text: '' } },
			Object.fromEntries(['de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'uk', 'tr'].map((code) => [code, { text: 'x' }]))
		]) {
			const response = await call('/api/projects', {
				method: 'POST',
				json: { name: 'Study', researchGoals: 'Goals.', interviewGuide: question(translations) },
				as: owner.as
			});
			expect(response.status, JSON.stringify(translations)).toBe(400);
			// A key that is not a language code is an unknown field; an empty text or too many translations, invalid.
			expect(['unknown_field', 'invalid_request']).toContain(((await response.json()) as { error: { code: string } }).error.code);
		}
	});
});
