import { describe, expect, it } from 'vitest';
import { InterviewGuide } from '../../worker/contracts/guide';
import { parseGuideText, renderGuideMarkdown } from '../../worker/contracts/guide-text';

const shape = (guide: InterviewGuide) =>
	guide.sections.map((section) => ({ title: section.title, questions: section.questions.map(({ text, probes }) => ({ text, probes })) }));

describe('parsing a pasted guide', () => {
	it('turns plain text with titles, numbered questions and indented probes into sections', () => {
		const text = [
			'INTRODUCTION',
			'1. Tell me about your role.',
			'   - How long have you been doing it?',
			'2. What does a normal week look like?',
			'',
			'Using the product:',
			'3. When did you last use it?',
			'    a) What were you trying to do?',
			'    Probe: what happened next?',
			'Why did you choose it over the alternatives?'
		].join('\n');
		expect(shape(parseGuideText(text))).toEqual([
			{
				title: 'INTRODUCTION',
				questions: [
					{ text: 'Tell me about your role.', probes: ['How long have you been doing it?'] },
					{ text: 'What does a normal week look like?', probes: [] }
				]
			},
			{
				title: 'Using the product',
				questions: [
					{ text: 'When did you last use it?', probes: ['What were you trying to do?', 'what happened next?'] },
					{ text: 'Why did you choose it over the alternatives?', probes: [] }
				]
			}
		]);
	});

	it('reads Markdown headings, bullets and emphasis', () => {
		const text = '# Guide\n\n## Background\n- **Who** are you?\n  - Team size?\n\n## Pain points\n* What slows you down?\n';
		expect(shape(parseGuideText(text))).toEqual([
			{ title: 'Guide', questions: [] },
			{ title: 'Background', questions: [{ text: 'Who are you?', probes: ['Team size?'] }] },
			{ title: 'Pain points', questions: [{ text: 'What slows you down?', probes: [] }] }
		]);
	});

	it('puts questions with no heading into one untitled section', () => {
		expect(shape(parseGuideText('What do you do?\nWhy?'))).toEqual([
			{
				title: '',
				questions: [
					{ text: 'What do you do?', probes: [] },
					{ text: 'Why?', probes: [] }
				]
			}
		]);
	});

	it('round-trips through Markdown', () => {
		const guide = parseGuideText('Section 1: Warm-up\n1. Hello?\n   - More?\nSection 2: Depth\n2. Why?');
		expect(shape(parseGuideText(renderGuideMarkdown(guide)))).toEqual(shape(guide));
		expect(InterviewGuide.safeParse(guide).success).toBe(true);
	});
});

describe('required and optional questions', () => {
	it('reads "(optional)" after a question, keeps every other question required, and writes the mark back', () => {
		const guide = parseGuideText('## Warm-up\n1. What is your role?\n2. Anything else you want to add? (optional)\n');
		expect(guide.sections[0]!.questions.map(({ text, required }) => ({ text, required }))).toEqual([
			{ text: 'What is your role?', required: true },
			{ text: 'Anything else you want to add?', required: false }
		]);
		expect(renderGuideMarkdown(guide)).toContain('2. Anything else you want to add? (optional)');
		expect(parseGuideText(renderGuideMarkdown(guide)).sections[0]!.questions.map((question) => question.required)).toEqual([true, false]);
	});

	it('treats a stored guide saved before the setting as all required', () => {
		const stored = { sections: [{ id: 's1', title: 'A', questions: [{ id: 'q1', text: 'Why?', probes: [] }] }] };
		expect(InterviewGuide.parse(stored).sections[0]!.questions[0]!.required).toBe(true);
	});
});
