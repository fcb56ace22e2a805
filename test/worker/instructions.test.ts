import { describe, expect, it } from 'vitest';
import { buildInstructions, guideStatusText, wrapUpNote } from '../../worker/ai/instructions';
import type { InterviewBrief, QuestionView } from '../../worker/ai/provider';
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

	it('list the guide with ids, required or optional, and each question’s state when the moderator tracks it', () => {
		const questions: QuestionView[] = [
			{ id: 'q1', section: 'Background', text: 'What is your role?', probes: ['How long?'], required: true, status: 'answered' },
			{ id: 'q2', section: 'Background', text: 'Which tools?', probes: [], required: false, status: 'pending' }
		];
		expect(guideStatusText(questions).split('\n')).toEqual([
			'Section: Background',
			'[q1] What is your role? (required; answered)',
			'   - probe if needed: How long?',
			'[q2] Which tools? (optional; pending)'
		]);
		const byTools = buildInstructions(brief(), 60_000, { questions, reporting: 'tools' });
		expect(byTools).toContain('[q2] Which tools? (optional; pending)');
		expect(byTools).toContain('call record_progress');
		expect(byTools).toContain('call end_interview');
		expect(byTools).not.toContain('1. What is your role?');
		const byNotes = buildInstructions(brief(), 60_000, { questions, reporting: 'notes' });
		expect(byNotes).toContain('Do not close the interview while a required question is still pending');
		expect(byNotes).not.toContain('record_progress');
		expect(wrapUpNote(30_000, questions[1])).toContain('ask this last question if it fits: [q2] Which tools?');
	});
});
