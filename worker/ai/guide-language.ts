import type { InterviewGuide } from '../contracts/guide';
import type { InterviewBrief, QuestionView } from './provider';

/**
 * Which language an interview speaks where it must be chosen up front (the local interviewer's
 * phrases, which guide translation to use): the interviewer's language, or for Auto the respondent's
 * page language; null when Auto has nothing to go on.
 */
export function spokenLanguage(brief: Pick<InterviewBrief, 'language' | 'respondentLanguage'>): string | null {
	if (brief.language && brief.language !== 'auto') return brief.language.split('-')[0]!.toLowerCase();
	return brief.respondentLanguage ?? null;
}

type Translatable = Pick<QuestionView, 'text' | 'probes'> & { translations?: Record<string, { text: string; probes?: string[] }> };

/** The question in `language` where the researcher translated it; else as written. Probes come with the translation, when it has any. */
export function localize<T extends Translatable>(question: T, language: string | null): T {
	const translation = language ? question.translations?.[language] : undefined;
	if (!translation) return question;
	return { ...question, text: translation.text, probes: translation.probes?.length ? translation.probes : question.probes };
}

const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * The language the guide is written in, as far as the local interviewer can tell (it speaks English
 * and Russian): Russian when most of its letters are Cyrillic, else English.
 */
export function guideLanguageOf(guide: InterviewGuide): 'en' | 'ru' {
	const text = guide.sections.flatMap((section) => section.questions.map((question) => question.text)).join(' ');
	const cyrillic = text.match(CYRILLIC)?.length ?? 0;
	const latin = text.match(LATIN)?.length ?? 0;
	return cyrillic > latin ? 'ru' : 'en';
}
