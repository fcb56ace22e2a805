import type { GuideQuestion, InterviewGuide } from '../worker/contracts/guide';
import type { CoverageStatus } from '../worker/contracts/protocol';

/**
 * The moderation plan: every guide question with its section, probes and a time budget, built when
 * the interview starts. The interview's duration, less an opening and a closing, is split across the
 * sections by their number of questions, and each section's share across its questions.
 */
export type PlannedQuestion = {
	id: string;
	sectionId: string;
	section: string;
	text: string;
	probes: string[];
	required: boolean;
	budgetMs: number;
	/** The researcher's translations of the question, by language code (absent on plans built before them). */
	translations?: GuideQuestion['translations'];
};
export type PlannedSection = { id: string; title: string; budgetMs: number; questionIds: string[] };
export type Plan = { openingMs: number; closingMs: number; sections: PlannedSection[]; questions: PlannedQuestion[] };

/** Where each question stands. Times are on the interview timeline (ms since it started). */
export type QuestionCoverage = {
	questionId: string;
	status: CoverageStatus;
	askedTurnId: string | null;
	askedAtMs: number | null;
	answeredTurnIds: string[];
	spentMs: number;
	note: string | null;
};

/** The opening and the closing each take this share of the interview, at most a minute. */
const EDGE_SHARE = 0.08;
const MAX_EDGE_MS = 60_000;

export function buildPlan(guide: InterviewGuide, durationMs: number): Plan {
	const edgeMs = Math.min(MAX_EDGE_MS, Math.round(durationMs * EDGE_SHARE));
	const sections = guide.sections.filter((section) => section.questions.length > 0);
	const questionCount = sections.reduce((sum, section) => sum + section.questions.length, 0);
	const perQuestionMs = questionCount > 0 ? Math.max(0, durationMs - 2 * edgeMs) / questionCount : 0;
	return {
		openingMs: edgeMs,
		closingMs: edgeMs,
		sections: sections.map((section) => ({
			id: section.id,
			title: section.title,
			budgetMs: Math.round(perQuestionMs * section.questions.length),
			questionIds: section.questions.map((question) => question.id)
		})),
		questions: sections.flatMap((section) =>
			section.questions.map((question) => ({
				id: question.id,
				sectionId: section.id,
				section: section.title,
				text: question.text,
				probes: question.probes,
				required: question.required,
				...(question.translations ? { translations: question.translations } : {}),
				budgetMs: Math.round(perQuestionMs)
			}))
		)
	};
}

export const emptyCoverage = (plan: Plan): QuestionCoverage[] =>
	plan.questions.map((question) => ({
		questionId: question.id,
		status: 'pending',
		askedTurnId: null,
		askedAtMs: null,
		answeredTurnIds: [],
		spentMs: 0,
		note: null
	}));

/** Every required question is answered or skipped: the interviewer may close. */
export const requiredDone = (plan: Plan, coverage: readonly QuestionCoverage[]) =>
	plan.questions.every((question) => !question.required || isSettled(coverage, question.id));

const isSettled = (coverage: readonly QuestionCoverage[], questionId: string) => {
	const status = coverage.find((entry) => entry.questionId === questionId)?.status;
	return status === 'answered' || status === 'skipped';
};

/** Required questions not yet answered or skipped, in guide order. */
export const remainingRequired = (plan: Plan, coverage: readonly QuestionCoverage[]) =>
	plan.questions.filter((question) => question.required && !isSettled(coverage, question.id));

/** The next question to ask: the first pending in guide order; when time is short, the first pending required one. */
export function nextQuestion(plan: Plan, coverage: readonly QuestionCoverage[], timeShort: boolean): PlannedQuestion | null {
	const pending = plan.questions.filter((question) => coverage.find((entry) => entry.questionId === question.id)?.status === 'pending');
	return (timeShort ? pending.find((question) => question.required) : pending[0]) ?? null;
}

/** The first pending question of the sections after `sectionId`: where pacing moves on to. */
export function firstPendingAfter(plan: Plan, coverage: readonly QuestionCoverage[], sectionId: string): PlannedQuestion | null {
	const after = plan.sections.findIndex((section) => section.id === sectionId);
	const later = new Set(plan.sections.slice(after + 1).map((section) => section.id));
	const status = new Map(coverage.map((entry) => [entry.questionId, entry.status]));
	return plan.questions.find((question) => later.has(question.sectionId) && status.get(question.id) === 'pending') ?? null;
}

/**
 * The section that has run over its budget, if the current one has: it began when its first
 * question was asked, and questions remain after it. Pacing then moves the interview on.
 */
export function overrunSection(plan: Plan, coverage: readonly QuestionCoverage[], nowMs: number): PlannedSection | null {
	const byId = new Map(coverage.map((entry) => [entry.questionId, entry]));
	const asked = coverage.filter((entry) => entry.askedAtMs !== null).sort((a, b) => (b.askedAtMs ?? 0) - (a.askedAtMs ?? 0));
	const current = asked[0] && plan.questions.find((question) => question.id === asked[0]!.questionId);
	if (!current) return null;
	const section = plan.sections.find((candidate) => candidate.id === current.sectionId)!;
	const startedAt = Math.min(...section.questionIds.map((id) => byId.get(id)?.askedAtMs ?? Infinity));
	const later = plan.sections.slice(plan.sections.indexOf(section) + 1);
	const laterPending = later.some((next) => next.questionIds.some((id) => byId.get(id)?.status === 'pending'));
	return nowMs - startedAt > section.budgetMs && laterPending ? section : null;
}
