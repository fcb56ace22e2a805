import type { TranscriptTurn } from '../../contracts/records';

/**
 * What a report reads for a turn. A voice answer that was never transcribed (local mode, or a
 * failed transcription) carries a placeholder, not the respondent's words: reports show that it
 * was answered, and never treat the placeholder as something the respondent said.
 */
export const UNTRANSCRIBED_ANSWER = '(voice answer, not transcribed)';

export const isUntranscribed = (turn: Pick<TranscriptTurn, 'transcribed'>) => turn.transcribed === false;

/** The text a report's input shows for a turn; empty when there is nothing to show. */
export function reportTurnText(turn: Pick<TranscriptTurn, 'transcribed' | 'text'>): string {
	return isUntranscribed(turn) ? UNTRANSCRIBED_ANSWER : turn.text.trim();
}
