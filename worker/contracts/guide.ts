import { z } from 'zod';
import { GUIDE_LIMITS } from './limits';

export { GUIDE_LIMITS };

/** The Interview Guide: sections of questions, each with optional probes. Stored as JSON, rendered as Markdown. */

export const GuideQuestion = z.object({
	id: z.string().min(1).max(64),
	text: z.string().trim().min(1).max(GUIDE_LIMITS.questionChars),
	probes: z.array(z.string().trim().min(1).max(GUIDE_LIMITS.probeChars)).max(GUIDE_LIMITS.probesPerQuestion).default([])
});
export type GuideQuestion = z.infer<typeof GuideQuestion>;

export const GuideSection = z.object({
	id: z.string().min(1).max(64),
	title: z.string().trim().max(GUIDE_LIMITS.titleChars),
	questions: z.array(GuideQuestion).max(GUIDE_LIMITS.questionsPerSection)
});
export type GuideSection = z.infer<typeof GuideSection>;

export const InterviewGuide = z
	.object({ sections: z.array(GuideSection).max(GUIDE_LIMITS.sections) })
	.refine((guide) => new TextEncoder().encode(JSON.stringify(guide)).byteLength <= GUIDE_LIMITS.totalBytes, {
		message: `The interview guide is larger than ${GUIDE_LIMITS.totalBytes / 1024} KB.`
	});
export type InterviewGuide = z.infer<typeof InterviewGuide>;

export const countQuestions = (guide: InterviewGuide) =>
	guide.sections.reduce((total, section) => total + section.questions.length, 0);
