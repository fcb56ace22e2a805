import type { QualitySignals } from '../../../contracts/quality';
import { comparableLanguage, detectLanguage } from './language';
import { isNonAnswer } from './non-answers';
import { QUALITY_THRESHOLDS } from './thresholds';

/** What the signals are computed from: the turns, the guide's coverage, the plan, and an earlier record of the same respondent. */
export type QualityInput = {
	turns: { id?: string; role: 'interviewer' | 'respondent'; text: string; transcribed?: boolean }[];
	/** Per answered guide question, the turns that answered it (interviews with a moderation plan). */
	answeredTurnIds?: string[][];
	/** The interview's planned and used time, when it was a completed interview (not uploads, not abandoned ones). */
	plannedMs?: number | null;
	usedMs?: number | null;
	/** The interviewer's language (`en`, `ru`, …, or the respondent page's for Auto). */
	language?: string | null;
	duplicate?: { recordId: string; by: 'email' | 'network' } | null;
	/** False for a transcribed recording, whose speakers are not told apart: its answers cannot be measured one by one. */
	speakersKnown?: boolean;
};

const countWords = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The share of answered guide questions whose answer was far shorter than the guide expects. */
function belowGuideShare(input: QualityInput, wordsByTurn: Map<string, number>): number | null {
	const answered = (input.answeredTurnIds ?? []).filter((ids) => ids.length > 0 && ids.every((id) => wordsByTurn.has(id)));
	if (answered.length === 0) return null;
	const floor = QUALITY_THRESHOLDS.expectedAnswerWords * QUALITY_THRESHOLDS.belowGuideRatio;
	const short = answered.filter((ids) => ids.reduce((sum, id) => sum + (wordsByTurn.get(id) ?? 0), 0) < floor).length;
	return round(short / answered.length);
}

/**
 * The quality signals of a record, from what it holds. Text figures read only transcribed turns:
 * a voice answer that was not transcribed is neither short nor a non-answer, just unmeasured.
 */
export function computeQualitySignals(input: QualityInput): QualitySignals {
	const speakersKnown = input.speakersKnown !== false;
	const transcribed = input.turns.filter((turn) => turn.transcribed !== false);
	const answers = transcribed.filter((turn) => turn.role === 'respondent');
	const answerWords = answers.map((turn) => countWords(turn.text));
	const respondentWords = answerWords.reduce((sum, words) => sum + words, 0);
	const allWords = transcribed.reduce((sum, turn) => sum + countWords(turn.text), 0);
	const wordsByTurn = new Map(answers.filter((turn) => turn.id).map((turn) => [turn.id!, countWords(turn.text)]));
	const enough = speakersKnown && answers.length >= QUALITY_THRESHOLDS.minAnswers;
	const expectedLanguage = comparableLanguage(input.language);
	const planned = input.plannedMs ?? null;
	return {
		respondentAnswers: answers.length,
		respondentWordShare: speakersKnown && allWords > 0 && answers.length > 0 ? round(respondentWords / allWords) : null,
		medianAnswerWords: enough ? median(answerWords) : null,
		nonAnswerShare: enough ? round(answers.filter((turn) => isNonAnswer(turn.text)).length / answers.length) : null,
		answersBelowGuideShare: belowGuideShare(input, wordsByTurn),
		durationShareOfPlan: planned && planned > 0 && input.usedMs != null ? round(input.usedMs / planned) : null,
		detectedLanguage: detectLanguage(answers.map((turn) => turn.text).join(' ')),
		expectedLanguage,
		duplicateOfRecordId: input.duplicate?.recordId ?? null,
		duplicateBy: input.duplicate?.by ?? null,
		speakersKnown
	};
}
