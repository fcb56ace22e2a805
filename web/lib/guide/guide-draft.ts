import type { GuideQuestion, GuideSection, InterviewGuide } from '$contracts/guide';
import { GUIDE_LIMITS } from '$contracts/limits';
import { guideId } from '$contracts/guide-text';

export const newSection = (title = ''): GuideSection => ({ id: guideId('s'), title, questions: [] });
export const newQuestion = (text = ''): GuideQuestion => ({ id: guideId('q'), text, probes: [], required: true });

/** Moves one item of a list in place; returns false when it is already at that end. */
export function moveItem<T>(list: T[], index: number, delta: -1 | 1): boolean {
	const target = index + delta;
	if (target < 0 || target >= list.length) return false;
	const [item] = list.splice(index, 1);
	list.splice(target, 0, item!);
	return true;
}

/** A guide rebuilt with fixed key order, so two equal guides serialise the same way. */
function normalise(guide: InterviewGuide): InterviewGuide {
	return {
		sections: guide.sections.map((section) => ({
			id: section.id,
			title: section.title,
			questions: section.questions.map((question) => ({
				id: question.id,
				text: question.text,
				probes: [...question.probes],
				required: question.required
			}))
		}))
	};
}

export const cloneGuide = (guide: InterviewGuide): InterviewGuide => normalise(guide);

export function contextSignature(researchGoals: string, guide: InterviewGuide): string {
	return JSON.stringify({ researchGoals, guide: normalise(guide) });
}

/** What gets saved: trimmed text, without blank probes, blank questions or empty untitled sections. */
export function cleanGuide(guide: InterviewGuide): InterviewGuide {
	return {
		sections: guide.sections
			.map((section) => ({
				id: section.id,
				title: section.title.trim(),
				questions: section.questions
					.map((question) => ({
						id: question.id,
						text: question.text.trim(),
						probes: question.probes.map((probe) => probe.trim()).filter(Boolean),
						required: question.required
					}))
					.filter((question) => question.text)
			}))
			.filter((section) => section.title || section.questions.length > 0)
	};
}

export type GuideCounts = { sections: number; questions: number; probes: number };

export function countGuide(guide: InterviewGuide): GuideCounts {
	let questions = 0;
	let probes = 0;
	for (const section of guide.sections) {
		questions += section.questions.length;
		for (const question of section.questions) probes += question.probes.length;
	}
	return { sections: guide.sections.length, questions, probes };
}

/** The first limit the guide breaks, in words, or null when the server will accept it. */
export function guideLimitProblem(guide: InterviewGuide): string | null {
	if (guide.sections.length > GUIDE_LIMITS.sections) return `A guide has at most ${GUIDE_LIMITS.sections} sections.`;
	for (const section of guide.sections) {
		if (section.questions.length > GUIDE_LIMITS.questionsPerSection)
			return `A section has at most ${GUIDE_LIMITS.questionsPerSection} questions.`;
		if (section.title.length > GUIDE_LIMITS.titleChars) return `Section titles are at most ${GUIDE_LIMITS.titleChars} characters.`;
		for (const question of section.questions) {
			if (question.text.length > GUIDE_LIMITS.questionChars) return `Questions are at most ${GUIDE_LIMITS.questionChars} characters.`;
			if (question.probes.length > GUIDE_LIMITS.probesPerQuestion)
				return `A question has at most ${GUIDE_LIMITS.probesPerQuestion} probes.`;
			if (question.probes.some((probe) => probe.length > GUIDE_LIMITS.probeChars))
				return `Probes are at most ${GUIDE_LIMITS.probeChars} characters.`;
		}
	}
	if (new TextEncoder().encode(JSON.stringify(guide)).byteLength > GUIDE_LIMITS.totalBytes)
		return `The guide is larger than ${GUIDE_LIMITS.totalBytes / 1024} KB.`;
	return null;
}

/** The number of each section's first question: questions are numbered across the whole guide. */
export function firstQuestionNumbers(guide: InterviewGuide): number[] {
	let next = 1;
	return guide.sections.map((section) => {
		const first = next;
		next += section.questions.length;
		return first;
	});
}

/** Why a list at its limit takes no more items, e.g. "A section has at most 20 questions.", or null while there is room. */
export function limitReason(list: readonly unknown[], max: number, holder: string, items: string): string | null {
	return list.length >= max ? `${holder} has at most ${max} ${items}.` : null;
}
