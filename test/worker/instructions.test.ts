import { describe, expect, it } from 'vitest';
import { buildInstructions, wrapUpNote } from '../../worker/ai/instructions';
import type { InterviewBrief } from '../../worker/ai/provider';
import { GUIDE } from './helpers/interview';

const brief = (overrides: Partial<InterviewBrief> = {}): InterviewBrief => ({
	researchGoals: 'Learn how new users get started.',
	guide: GUIDE,
	linkContext: 'Customers who signed up last month.',
	interviewerInstructions: 'Be warm; avoid jargon.',
	language: 'en',
	voice: 'marin',
	durationMinutes: 20,
	topics: ['your role', 'onboarding'],
	...overrides
});

describe('interviewer instructions', () => {
	it('carry the goals, every question and probe in order, the link context, the researcher notes and the topics', () => {
		const text = buildInstructions(brief(), 20 * 60_000);
		expect(text).toContain('Learn how new users get started.');
		const order = [
			'Section: Background',
			'1. What is your role?',
			'probe if needed: How long have you been in it?',
			'2. Which tools do you use every day?',
			'Section: Onboarding',
			'3. How did your first week go?'
		];
		const positions = order.map((part) => text.indexOf(part));
		expect(positions.every((position) => position >= 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
		expect(text).toContain('Customers who signed up last month.');
		expect(text).toContain('Be warm; avoid jargon.');
		expect(text).toContain('- your role');
		expect(text).toContain('- onboarding');
	});

	it('state the interviewing rules: one question at a time, probing, no leading questions', () => {
		const text = buildInstructions(brief(), 60_000);
		expect(text).toMatch(/one question at a time/i);
		expect(text).toMatch(/probe for specifics/i);
		expect(text).toMatch(/never ask leading questions/i);
	});

	it('name the language, or follow the respondent’s own when it is auto', () => {
		expect(buildInstructions(brief({ language: 'de' }), 60_000)).toContain('Conduct the interview in German');
		expect(buildInstructions(brief({ language: 'auto' }), 60_000)).toMatch(/language the respondent speaks/);
	});

	it('state the planned duration and the time left, and ask to wrap up near the end', () => {
		const text = buildInstructions(brief({ durationMinutes: 20 }), 7 * 60_000 + 10_000);
		expect(text).toContain('planned for 20 minutes');
		expect(text).toContain('about 7 minutes remain');
		expect(text).toMatch(/thank the respondent and say goodbye/);
		expect(buildInstructions(brief(), 60_000)).toContain('about 1 minute remain');
		expect(wrapUpNote(45_000)).toContain('45 seconds remain');
	});

	it('leave out empty sections and still work without a guide', () => {
		const text = buildInstructions(brief({ guide: { sections: [] }, linkContext: '', interviewerInstructions: '', topics: [] }), 60_000);
		expect(text).not.toContain('About this respondent');
		expect(text).not.toContain('Instructions from the researcher');
		expect(text).not.toContain('Topics to cover');
		expect(text).toContain('No guide was written');
	});
});
