import { z } from 'zod';
import { RecordedAnswer } from '../../contracts/screeners';

const RecordedAnswers = z.array(RecordedAnswer);

/** An interview's stored screener answers; none when it had no screener (or the row does not parse). */
export function recordedAnswers(stored: unknown): RecordedAnswer[] {
	const parsed = RecordedAnswers.safeParse(stored);
	return parsed.success ? parsed.data : [];
}

/** An answer in words, in English (the researcher's language on the dashboard and in exports). */
export const answerText = (answer: RecordedAnswer) =>
	answer.value !== null ? String(answer.value) : answer.answers.map((text) => text.en).join('; ');
