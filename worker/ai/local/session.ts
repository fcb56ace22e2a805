import { guideLanguageOf, spokenLanguage } from '../guide-language';
import { phraseLanguageOf, phrasesFor } from './phrases';
import type { ProviderContext, ProviderSession, QuestionView } from '../provider';
import { turnTakingOf } from '../patience';
import { skipOpenQuestions } from '../moderation';
import { EnergyVad } from './vad';

const SHORT_TEXT_WORDS = 6;
const SHORT_VOICE_MS = 2_500;
const MAX_PROBES_PER_QUESTION = 1;

/** The interviewer's own place in the conversation, kept in the DO's storage across restarts. */
type Progress = {
	/** The question asked last, awaiting its answer. */
	current: string | null;
	probes: number;
	/** Where pacing said to go next (a section ran over). */
	jumpTo: string | null;
	wrappingUp: boolean;
	closed: boolean;
	turns: number;
};
const START: Progress = { current: null, probes: 0, jumpTo: null, wrappingUp: false, closed: false, turns: 0 };

/**
 * The offline interviewer. It moderates by the Interview DO's plan like every provider: it asks the
 * next pending question, reports each question asked and answered, probes once when an answer is
 * short, moves on when pacing says so, and at the wrap-up asks the most important question left,
 * marks the rest skipped and closes; the DO then ends the interview. Its text is spoken by the
 * browser. Voice answers are cut by energy VAD and kept as audio, untranscribed.
 */
export function createLocalSession(context: ProviderContext): ProviderSession {
	const { brief, events, memory } = context;
	// Auto follows the respondent's page language: the browser speaks these words, so they must be the respondent's.
	const language = phraseLanguageOf(spokenLanguage(brief));
	const phrases = phrasesFor(language);
	const vad = new EnergyVad({ endSilenceMs: turnTakingOf(context.brief).localSilenceMs });

	const progress = (): Progress => ({ ...START, ...memory.get<Progress>('local.progress') });
	const save = (next: Progress) => memory.set('local.progress', next);

	/** The plan's questions and where each stands; without a moderator, the guide with what this session asked. */
	const questions = (): QuestionView[] => {
		if (context.questions) return context.questions();
		const asked = new Set(memory.get<string[]>('local.asked') ?? []);
		return brief.guide.sections.flatMap((section) =>
			section.questions.map(
				(question) => ({ ...question, section: section.title, status: asked.has(question.id) ? 'answered' : 'pending' }) as const
			)
		);
	};
	const report = (questionId: string, status: 'asked' | 'answered' | 'skipped') => {
		if (events.progress) return void events.progress({ questionId, status });
		if (status !== 'asked') memory.set('local.asked', [...(memory.get<string[]>('local.asked') ?? []), questionId]);
	};

	/**
	 * The opening; when some question has no translation into the language spoken, it says once (in
	 * that language) that the questions are read as the guide wrote them.
	 */
	function greeting(): string {
		const guideLanguage = guideLanguageOf(brief.guide);
		const untranslated = brief.guide.sections.some((section) => section.questions.some((question) => !question.translations?.[language]));
		const note = guideLanguage !== language && untranslated ? ` ${phrases.questionsIn(guideLanguage)}` : '';
		return `${phrases.greeting(brief.topics)}${note}`;
	}

	/** When the interviewer last spoke, on the interview timeline (ms since the start). */
	const lastSpokeMs = (): number => {
		const elapsed = context.elapsedMs?.() ?? 0;
		const startedAt = Date.now() - elapsed;
		const spoken = context.history.filter((turn) => turn.role === 'interviewer').map((turn) => turn.at - startedAt);
		return Math.max(0, ...spoken);
	};

	async function say(text: string, state: Progress): Promise<Progress> {
		const next = { ...state, turns: state.turns + 1 };
		save(next);
		await events.turn({ key: `local-${next.turns}`, role: 'interviewer', text, final: true });
		return next;
	}

	/** Goodbye; what is still pending is skipped (time ran out), then the DO decides to end. */
	async function close(state: Progress): Promise<void> {
		skipOpenQuestions(context);
		save(await say(phrases.closing, { ...state, current: null, closed: true }));
		if (events.requestEnd) events.requestEnd('the guide is covered and the interviewer said goodbye');
		else events.finished();
	}

	async function ask(question: QuestionView, state: Progress, prefix: string): Promise<void> {
		const next = await say(prefix ? `${prefix} ${question.text}` : question.text, {
			...state,
			current: question.id,
			probes: 0,
			jumpTo: null
		});
		report(question.id, 'asked');
		save(next);
	}

	/** The next question: where pacing pointed, else the first still pending. */
	function nextQuestion(state: Progress): QuestionView | null {
		const all = questions();
		const jump = state.jumpTo ? all.find((question) => question.id === state.jumpTo && question.status === 'pending') : undefined;
		return jump ?? all.find((question) => question.status === 'pending') ?? null;
	}

	async function answered(short: boolean): Promise<void> {
		const state = progress();
		if (state.closed) return;
		const current = state.current ? questions().find((question) => question.id === state.current) : undefined;
		if (short && current && !state.wrappingUp && !state.jumpTo && state.probes < MAX_PROBES_PER_QUESTION) {
			const probe = current.probes[state.probes] ?? phrases.genericProbe;
			await say(probe, { ...state, probes: state.probes + 1 });
			return;
		}
		if (current) report(current.id, 'answered');
		const next = state.wrappingUp ? null : nextQuestion(state);
		if (!next) return close(state);
		await ask(next, state, phrases.transition);
	}

	return {
		name: 'local',
		async start() {
			const state = progress();
			if (state.turns > 0 || context.history.some((turn) => turn.role === 'interviewer')) return;
			const greeted = await say(greeting(), state);
			const first = nextQuestion(greeted);
			if (first) await ask(first, greeted, '');
			else await close(greeted);
		},
		sendAudio(pcm, atMs) {
			for (const edge of vad.push(pcm, atMs)) {
				if (edge.type === 'start') {
					events.speechStarted();
					continue;
				}
				const durationMs = edge.endMs - edge.startMs;
				const startMs = Math.max(edge.startMs, lastSpokeMs() + 1);
				void Promise.resolve(
					events.turn({
						key: `voice-${Math.round(edge.startMs)}`,
						role: 'respondent',
						text: phrases.voiceAnswer(durationMs / 1000),
						final: true,
						transcribed: false,
						startMs,
						endMs: edge.endMs
					})
				).then(() => answered(durationMs < SHORT_VOICE_MS));
			}
		},
		sendText(text) {
			void answered(text.trim().split(/\s+/).length < SHORT_TEXT_WORDS);
		},
		/** At the wrap-up point: the most important question left, if any, else whether there is anything to add. */
		wrapUp(_remainingMs, lastQuestion) {
			const state = progress();
			if (state.closed || state.wrappingUp) return;
			if (lastQuestion && lastQuestion.status === 'pending') {
				void ask(lastQuestion, { ...state, wrappingUp: true }, phrases.lastQuestion);
				return;
			}
			void say(phrases.wrapUp, { ...state, current: null, wrappingUp: true });
		},
		steer(_note, next) {
			if (next) save({ ...progress(), jumpTo: next.id });
		},
		async close() {}
	};
}
