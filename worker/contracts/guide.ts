import { z } from 'zod';
import { TRANSLATION_LANGUAGES, type TranslationLanguage } from './languages';
import { GUIDE_LIMITS } from './limits';

export { GUIDE_LIMITS };

/** The Interview Guide: sections of questions, each with optional probes. Stored as JSON, rendered as Markdown. */

/** A question in another language: its words, and its probes (the original's when none are given). */
const Translation = z.object({
	text: z
		.string()
		.trim()
		.min(1, 'A translation cannot be empty.')
		.max(GUIDE_LIMITS.questionChars, `Questions are at most ${GUIDE_LIMITS.questionChars} characters.`),
	probes: z.array(z.string().trim().min(1).max(GUIDE_LIMITS.probeChars)).max(GUIDE_LIMITS.probesPerQuestion).default([])
});

export const GuideQuestion = z.object({
	id: z.string().min(1).max(64),
	text: z
		.string()
		.trim()
		.min(1, 'A question cannot be empty.')
		.max(GUIDE_LIMITS.questionChars, `Questions are at most ${GUIDE_LIMITS.questionChars} characters.`),
	probes: z
		.array(
			z
				.string()
				.trim()
				.min(1, 'A probe cannot be empty.')
				.max(GUIDE_LIMITS.probeChars, `Probes are at most ${GUIDE_LIMITS.probeChars} characters.`)
		)
		.max(GUIDE_LIMITS.probesPerQuestion, `A question has at most ${GUIDE_LIMITS.probesPerQuestion} probes.`)
		.default([]),
	/** A required question must be answered or declined before the interview may end; optional ones go first when time runs short. */
	required: z.boolean().default(true),
	/**
	 * The question in other languages, by language code (`ru`, `es`, …): an interview in that language
	 * (or in Auto, on a page in that language) asks it in those words, on every provider.
	 */
	translations: z
		.object(
			Object.fromEntries(TRANSLATION_LANGUAGES.map((code) => [code, Translation.optional()])) as Record<
				TranslationLanguage,
				z.ZodOptional<typeof Translation>
			>
		)
		.refine((translations) => Object.keys(translations).length <= GUIDE_LIMITS.translationsPerQuestion, {
			message: `A question has at most ${GUIDE_LIMITS.translationsPerQuestion} translations.`
		})
		.optional()
});
export type GuideQuestion = z.infer<typeof GuideQuestion>;

export const GuideSection = z.object({
	id: z.string().min(1).max(64),
	title: z.string().trim().max(GUIDE_LIMITS.titleChars, `Section titles are at most ${GUIDE_LIMITS.titleChars} characters.`),
	questions: z
		.array(GuideQuestion)
		.max(GUIDE_LIMITS.questionsPerSection, `A section has at most ${GUIDE_LIMITS.questionsPerSection} questions.`)
});
export type GuideSection = z.infer<typeof GuideSection>;

export const InterviewGuide = z
	.object({ sections: z.array(GuideSection).max(GUIDE_LIMITS.sections, `A guide has at most ${GUIDE_LIMITS.sections} sections.`) })
	.refine((guide) => new TextEncoder().encode(JSON.stringify(guide)).byteLength <= GUIDE_LIMITS.totalBytes, {
		message: `The interview guide is larger than ${GUIDE_LIMITS.totalBytes / 1024} KB.`
	});
export type InterviewGuide = z.infer<typeof InterviewGuide>;

export const countQuestions = (guide: InterviewGuide) => guide.sections.reduce((total, section) => total + section.questions.length, 0);
