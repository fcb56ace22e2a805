import type { ReportContext } from '../local';
import type { ChatMessage } from './openai';
import { UNTRANSCRIBED_ANSWER } from '../turn-text';

/** What the model is told: who it is, the task for each kind of report, and the project's goals and guide. */

export type ReportKind = 'single' | 'project';

export const SYSTEM_PROMPT = [
	'You are a careful user-research analyst. Use only what the transcripts say; never invent quotes.',
	'Every quote must be verbatim respondent text and cite the recordId and the turnId shown in square brackets.',
	`A turn shown as ${UNTRANSCRIBED_ANSWER} was answered aloud but its words are unknown: count it as answered, never quote it or guess what was said.`,
	'Answer in the language of the transcripts. Return only JSON that matches the schema.'
].join(' ');

export const TASKS: Record<ReportKind, string> = {
	single:
		'Write a report on this one interview: a summary, findings per research goal, the answers to each guide question (quote or paraphrase the respondent, citing recordId and turnId), notable verbatim quotes, and the overall sentiment.',
	project:
		'Write a report across these interviews: themes (with how many records support each, and verbatim quotes), findings per research goal, contradictions between respondents, outliers, and suggested follow-up questions.'
};

function guideBlock(context: ReportContext): string {
	return context.guide.sections.flatMap((section) => section.questions.map((question) => `- (${question.id}) ${question.text}`)).join('\n');
}

/** The research goals and the guide, which every prompt carries. */
export function backgroundBlocks(context: ReportContext): string[] {
	return [`# Research goals\n${context.researchGoals || '(none given)'}`, `# Interview guide\n${guideBlock(context) || '(none given)'}`];
}

export function messages(task: string, context: ReportContext, material: string): ChatMessage[] {
	return [
		{ role: 'system', content: SYSTEM_PROMPT },
		{ role: 'user', content: [task, ...backgroundBlocks(context), material].join('\n\n') }
	];
}
