/**
 * Llama 3.3 in JSON mode, as the cascade's note-taker calls it: not streamed, `response_format`
 * with a JSON schema, and the answer as Workers AI gives it (`{ response: <object>, usage }`). The
 * fake reads the prompt the way a careful model would: a guide question is asked when the
 * interviewer's latest turn contains its words, answered when a respondent turn follows the turn
 * that asked it, and the turn closes the interview when it says goodbye. It can also fail as the
 * binding does, or answer with JSON outside the schema.
 */
import type { Message } from './llm';

export type NotesAnswer = 'read' | 'error' | 'off-schema';

type Entry = { question_id: string; status: 'asked' | 'answered' | 'skipped' };

const GUIDE_LINE = /^\[([^\]]+)\] (.*) \((required|optional); (pending|asked|answered|skipped)\)$/;
const GOODBYE = /goodbye|adiós/i;

/** The guide lines and the latest turns of the note-taker's prompt. */
function readPrompt(messages: Message[]) {
	const text = messages.at(-1)?.content ?? '';
	const [guidePart = '', turnsPart = ''] = text.split('## Latest turns');
	const questions = guidePart.split('\n').flatMap((line) => {
		const match = GUIDE_LINE.exec(line.trim());
		return match ? [{ id: match[1]!, text: match[2]!, status: match[4]! }] : [];
	});
	const turns = turnsPart
		.split('\n')
		.slice(1)
		.flatMap((line) => {
			const match = /^(Interviewer|Respondent): (.*)$/.exec(line);
			return match ? [{ role: match[1]!, text: match[2]! }] : [];
		});
	return { questions, turns };
}

const mentions = (turn: string, question: string) => turn.toLowerCase().includes(question.toLowerCase());

/** The notes a careful model would take of this prompt. */
export function notesOf(messages: Message[]): { progress: Entry[]; closing: boolean } {
	const { questions, turns } = readPrompt(messages);
	const latest = turns.at(-1);
	const progress: Entry[] = [];
	for (const question of questions) {
		if (question.status !== 'asked') continue;
		const askedAt = turns.findLastIndex((turn) => turn.role === 'Interviewer' && mentions(turn.text, question.text));
		if (turns.slice(askedAt + 1).some((turn) => turn.role === 'Respondent'))
			progress.push({ question_id: question.id, status: 'answered' });
	}
	if (latest?.role === 'Interviewer') {
		for (const question of questions) {
			if (question.status === 'pending' && mentions(latest.text, question.text))
				progress.push({ question_id: question.id, status: 'asked' });
		}
	}
	return { progress, closing: latest?.role === 'Interviewer' && GOODBYE.test(latest.text) };
}

/** The binding's HTTP answer to a JSON-mode call. */
export function answerNotes(messages: Message[], kind: NotesAnswer): Response {
	if (kind === 'error')
		return new Response(
			JSON.stringify({ errors: [{ code: 3040, message: 'Capacity temporarily exceeded, please try again.' }], success: false }),
			{
				status: 429,
				headers: { 'content-type': 'application/json' }
			}
		);
	const response = kind === 'off-schema' ? { notes: 'The respondent answered.' } : notesOf(messages);
	return new Response(JSON.stringify({ response, usage: { prompt_tokens: 300, completion_tokens: 40, total_tokens: 340 } }), {
		headers: { 'content-type': 'application/json' }
	});
}
