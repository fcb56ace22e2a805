import { describe, expect, it } from 'vitest';
import { applyProgress, type Evidence } from '../../durable-objects/coverage';
import {
	buildPlan,
	emptyCoverage,
	nextQuestion,
	overrunSection,
	remainingRequired,
	requiredDone,
	type QuestionCoverage
} from '../../durable-objects/plan';
import type { InterviewGuide } from '../../worker/contracts/guide';

const GUIDE: InterviewGuide = {
	sections: [
		{
			id: 's1',
			title: 'Background',
			questions: [
				{ id: 'q1', text: 'What is your role?', probes: [], required: true },
				{ id: 'q2', text: 'Anything else?', probes: [], required: false }
			]
		},
		{ id: 's2', title: 'Onboarding', questions: [{ id: 'q3', text: 'How did your first week go?', probes: [], required: true }] }
	]
};
const plan = buildPlan(GUIDE, 10 * 60_000);

const evidence = (turns: Evidence['turns'], nowMs = 60_000, timeShort = false): Evidence => ({ turns, nowMs, timeShort });
const asked = (turns: Evidence['turns']) => {
	const outcome = applyProgress(plan, emptyCoverage(plan), { questionId: 'q1', status: 'asked' }, evidence(turns));
	if (!outcome.ok) throw new Error(outcome.reason);
	return emptyCoverage(plan).map((entry) => (entry.questionId === 'q1' ? outcome.coverage : entry));
};

describe('the moderation plan', () => {
	it('splits the interview, less an opening and a closing, across sections by their questions', () => {
		expect(plan.openingMs).toBe(48_000);
		expect(plan.closingMs).toBe(48_000);
		const perQuestion = (600_000 - 96_000) / 3;
		expect(plan.sections.map((section) => section.budgetMs)).toEqual([Math.round(perQuestion * 2), Math.round(perQuestion)]);
		expect(plan.questions.every((question) => question.budgetMs === Math.round(perQuestion))).toBe(true);
	});

	it('skips optional questions first when time runs short', () => {
		const coverage = emptyCoverage(plan).map((entry): QuestionCoverage =>
			entry.questionId === 'q1' ? { ...entry, status: 'answered' } : entry
		);
		expect(nextQuestion(plan, coverage, false)?.id).toBe('q2');
		expect(nextQuestion(plan, coverage, true)?.id).toBe('q3');
	});

	it('says a section ran over once it has used its budget and questions wait after it', () => {
		const coverage = asked([{ id: 't1', role: 'interviewer', atMs: 1_000 }]);
		expect(overrunSection(plan, coverage, 1_000 + plan.sections[0]!.budgetMs - 1)).toBeNull();
		expect(overrunSection(plan, coverage, 1_000 + plan.sections[0]!.budgetMs + 1)?.id).toBe('s1');
	});
});

describe('reports from a provider are checked against the transcript', () => {
	const turns: Evidence['turns'] = [
		{ id: 't1', role: 'interviewer', atMs: 1_000 },
		{ id: 't2', role: 'respondent', atMs: 5_000 }
	];

	it('takes the latest interviewer turn as the one that asked', () => {
		expect(asked(turns).find((entry) => entry.questionId === 'q1')).toMatchObject({ status: 'asked', askedTurnId: 't1', askedAtMs: 1_000 });
	});

	it('ignores unknown questions, answers to questions never asked, and repeats', () => {
		const coverage = emptyCoverage(plan);
		expect(applyProgress(plan, coverage, { questionId: 'q9', status: 'asked' }, evidence(turns))).toMatchObject({ ok: false });
		expect(applyProgress(plan, coverage, { questionId: 'q3', status: 'answered' }, evidence(turns))).toMatchObject({ ok: false });
		expect(applyProgress(plan, asked(turns), { questionId: 'q1', status: 'asked' }, evidence(turns))).toMatchObject({
			ok: true,
			changed: false
		});
	});

	it('records an answer only once the respondent has spoken after the question', () => {
		const onlyAsked = asked([{ id: 't1', role: 'interviewer', atMs: 1_000 }]);
		expect(
			applyProgress(plan, onlyAsked, { questionId: 'q1', status: 'answered' }, evidence([{ id: 't1', role: 'interviewer', atMs: 1_000 }]))
		).toMatchObject({ ok: false });
		expect(applyProgress(plan, asked(turns), { questionId: 'q1', status: 'answered' }, evidence(turns, 9_000))).toMatchObject({
			ok: true,
			coverage: { status: 'answered', answeredTurnIds: ['t2'], spentMs: 8_000 }
		});
	});

	it('skips a required question only when time runs short or the respondent had their say', () => {
		const coverage = emptyCoverage(plan);
		expect(applyProgress(plan, coverage, { questionId: 'q3', status: 'skipped' }, evidence(turns))).toMatchObject({ ok: false });
		expect(applyProgress(plan, coverage, { questionId: 'q3', status: 'skipped' }, evidence(turns, 60_000, true))).toMatchObject({
			ok: true
		});
		expect(applyProgress(plan, coverage, { questionId: 'q2', status: 'skipped' }, evidence(turns))).toMatchObject({ ok: true });
		expect(applyProgress(plan, asked(turns), { questionId: 'q1', status: 'skipped', note: 'declined' }, evidence(turns))).toMatchObject({
			ok: true,
			coverage: { status: 'skipped', note: 'declined' }
		});
	});

	it('lets the interview end only when every required question is answered or skipped', () => {
		const done = (ids: string[]) =>
			emptyCoverage(plan).map((entry): QuestionCoverage => (ids.includes(entry.questionId) ? { ...entry, status: 'answered' } : entry));
		expect(requiredDone(plan, done(['q1']))).toBe(false);
		expect(remainingRequired(plan, done(['q1'])).map((question) => question.id)).toEqual(['q3']);
		expect(requiredDone(plan, done(['q1', 'q3']))).toBe(true);
	});
});
