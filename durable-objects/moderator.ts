import type { ModeratorReply, ProgressReport, QuestionView } from '../worker/ai/provider';
import type { QuestionCoverage as CoverageView } from '../worker/contracts/protocol';
import { localize } from '../worker/ai/guide-language';
import { logInfo } from '../worker/lib/log';
import { applyProgress, type TurnOnTimeline } from './coverage';
import type { InterviewStore, SessionState } from './interview-store';
import {
	buildPlan,
	emptyCoverage,
	firstPendingAfter,
	nextQuestion,
	overrunSection,
	remainingRequired,
	requiredDone,
	type Plan,
	type QuestionCoverage
} from './plan';
import type { PlanStore } from './plan-store';

/**
 * The moderator's memory, the same for every provider: the plan built from the guide when the
 * interview starts, each question's coverage checked against the transcript, pacing, and whether
 * the interview may end. Providers report; the moderator decides.
 */
export class Moderator {
	constructor(
		private readonly plans: PlanStore,
		private readonly store: InterviewStore,
		/** Called whenever a question's coverage changes (observers, the record). */
		private readonly changed: (coverage: CoverageView[]) => void
	) {}

	/** Builds the plan once, from the guide the interview started with. */
	start(state: SessionState): void {
		if (this.plans.plan) return;
		const plan = buildPlan(state.brief.guide, state.deadlineAt - state.startedAt);
		this.plans.start(plan, emptyCoverage(plan));
	}

	/** Forgets the plan, for a new interview in the same object. */
	forget(): void {
		this.plans.forget();
	}

	private get plan(): Plan {
		return this.plans.plan ?? { openingMs: 0, closingMs: 0, sections: [], questions: [] };
	}

	/**
	 * The questions with their ids and where each stands: what providers moderate by, in `language`
	 * where the researcher translated them (coverage keeps the guide's own words for the researcher).
	 */
	questions(language: string | null = null): QuestionView[] {
		const coverage = new Map(this.plans.coverage().map((entry) => [entry.questionId, entry.status]));
		return this.plan.questions.map((question) => {
			const { text, probes } = localize(question, language);
			return {
				id: question.id,
				section: question.section,
				text,
				probes,
				required: question.required,
				status: coverage.get(question.id) ?? 'pending'
			};
		});
	}

	/** Coverage as the record and observers see it: the question's words, and seconds spent. */
	view(): CoverageView[] {
		const coverage = new Map(this.plans.coverage().map((entry) => [entry.questionId, entry]));
		return this.plan.questions.map((question) => {
			const entry = coverage.get(question.id);
			return {
				questionId: question.id,
				question: question.text,
				section: question.section,
				required: question.required,
				status: entry?.status ?? 'pending',
				askedTurnId: entry?.askedTurnId ?? null,
				answeredTurnIds: entry?.answeredTurnIds ?? [],
				seconds: Math.round((entry?.spentMs ?? 0) / 1000)
			};
		});
	}

	private turnsOnTimeline(state: SessionState): TurnOnTimeline[] {
		return this.store
			.turns()
			.filter((turn) => turn.final)
			.map((turn) => ({ id: turn.id, role: turn.role, atMs: turn.startMs ?? turn.at - state.startedAt }));
	}

	/** Time runs short once the wrap-up point has passed or the current section ran over its budget. */
	private timeShort(state: SessionState, nowMs: number, coverage: readonly QuestionCoverage[]): boolean {
		return state.wrapUpSent || state.startedAt + nowMs >= state.wrapUpAt || overrunSection(this.plan, coverage, nowMs) !== null;
	}

	report(state: SessionState, report: ProgressReport): ModeratorReply {
		const nowMs = Date.now() - state.startedAt;
		const coverage = this.plans.coverage();
		const outcome = applyProgress(this.plan, coverage, report, {
			turns: this.turnsOnTimeline(state),
			nowMs,
			timeShort: this.timeShort(state, nowMs, coverage)
		});
		if (!outcome.ok) {
			logInfo('moderator.report_ignored', {
				interviewId: state.interviewId,
				questionId: report.questionId,
				status: report.status,
				reason: outcome.reason
			});
			return { accepted: false, message: `Not recorded: ${outcome.reason}.` };
		}
		if (outcome.changed) {
			this.plans.put(outcome.coverage);
			this.changed(this.view());
		}
		return { accepted: true, message: this.remainingMessage() };
	}

	/** Whether the interview may end now: every required question answered or skipped. */
	requestEnd(state: SessionState, reason: string): ModeratorReply {
		const left = remainingRequired(this.plan, this.plans.coverage());
		if (left.length > 0) {
			logInfo('moderator.end_refused', { interviewId: state.interviewId, reason, remaining: left.map((question) => question.id) });
			return {
				accepted: false,
				message: `Not yet: these required questions remain: ${left.map((question) => `[${question.id}] ${question.text}`).join('; ')}.`
			};
		}
		return { accepted: true, message: 'The interview ends now.' };
	}

	/** What is left to cover, for the provider to read after a report. */
	private remainingMessage(): string {
		const left = remainingRequired(this.plan, this.plans.coverage());
		return left.length === 0
			? 'Recorded. Every required question is covered: close when you are ready.'
			: `Recorded. Required questions left: ${left.map((question) => question.id).join(', ')}.`;
	}

	/** At the wrap-up point: the most important question still worth asking (the first pending required one). */
	lastQuestion(language: string | null = null): QuestionView | null {
		const question = nextQuestion(this.plan, this.plans.coverage(), true);
		return question ? (this.questions(language).find((view) => view.id === question.id) ?? null) : null;
	}

	/** A section ran over its budget (once per section): the note that moves the interview on, and where to. */
	pacing(state: SessionState, language: string | null = null): { note: string; next: QuestionView | null } | null {
		const nowMs = Date.now() - state.startedAt;
		const coverage = this.plans.coverage();
		const section = overrunSection(this.plan, coverage, nowMs);
		const noted = this.store.getMeta<string[]>('moderator.paced') ?? [];
		if (!section || noted.includes(section.id)) return null;
		this.store.setMeta('moderator.paced', [...noted, section.id]);
		const next = firstPendingAfter(this.plan, coverage, section.id);
		const title = section.title ? `"${section.title}"` : 'this section';
		const view = next ? (this.questions(language).find((candidate) => candidate.id === next.id) ?? null) : null;
		const note = `(Note from the moderator: the time for ${title} is up. ${view ? `Move on now to [${view.id}] ${view.text}` : 'Move on to the close.'})`;
		return { note, next: view };
	}

	get done(): boolean {
		return requiredDone(this.plan, this.plans.coverage());
	}
}
