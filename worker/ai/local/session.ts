import type { GuideQuestion } from '../../contracts/guide';
import { phrasesFor } from './phrases';
import type { ProviderContext, ProviderSession } from '../provider';
import { turnTakingOf } from '../patience';
import { EnergyVad } from './vad';

const SHORT_TEXT_WORDS = 6;
const SHORT_VOICE_MS = 2_500;
const MAX_PROBES_PER_QUESTION = 1;

type Progress = { next: number; probes: number; wrappingUp: boolean; closed: boolean; turns: number };
const START: Progress = { next: 0, probes: 0, wrappingUp: false, closed: false, turns: 0 };

/**
 * The offline interviewer: it follows the guide, asks one question at a time, probes once when an
 * answer is short, and closes politely when the guide is done or time runs out. Its text is spoken
 * by the browser. Voice answers are cut by energy VAD and kept as audio, untranscribed.
 */
export function createLocalSession(context: ProviderContext): ProviderSession {
	const { brief, events, memory } = context;
	const phrases = phrasesFor(brief.language);
	const questions: GuideQuestion[] = brief.guide.sections.flatMap((section) => section.questions);
	const vad = new EnergyVad({ endSilenceMs: turnTakingOf(context.brief).localSilenceMs });

	const progress = (): Progress => ({ ...START, ...memory.get<Progress>('local.progress') });
	const save = (next: Progress) => memory.set('local.progress', next);

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

	async function close(state: Progress): Promise<void> {
		const closed = await say(phrases.closing, { ...state, closed: true });
		save(closed);
		events.finished();
	}

	async function askNext(state: Progress, prefix: string): Promise<void> {
		const question = questions[state.next];
		if (!question) return close(state);
		await say(prefix ? `${prefix} ${question.text}` : question.text, { ...state, next: state.next + 1, probes: 0 });
	}

	async function answered(short: boolean): Promise<void> {
		const state = progress();
		if (state.closed) return;
		if (state.wrappingUp) return close(state);
		const current = questions[state.next - 1];
		if (short && current && state.probes < MAX_PROBES_PER_QUESTION) {
			const probe = current.probes[state.probes] ?? phrases.genericProbe;
			await say(probe, { ...state, probes: state.probes + 1 });
			return;
		}
		await askNext(state, phrases.transition);
	}

	return {
		name: 'local',
		async start() {
			const state = progress();
			if (state.turns > 0 || context.history.some((turn) => turn.role === 'interviewer')) return;
			const greeted = await say(phrases.greeting(brief.topics), state);
			await askNext(greeted, '');
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
		wrapUp() {
			const state = progress();
			if (state.closed || state.wrappingUp) return;
			void say(phrases.wrapUp, { ...state, wrappingUp: true });
		},
		async close() {}
	};
}
