/**
 * Answers that say nothing: silence (a transcribed turn with no words, or only fillers) and the
 * usual "I don't know" phrases in English, Russian and Spanish. A phrase counts only when it is
 * most of the answer: "I don't know exactly, but the price put me off" is an answer.
 */

/** An answer longer than this many words is an answer, whatever phrase it starts with. */
export const NON_ANSWER_MAX_WORDS = 6;

const FILLERS = new Set(['um', 'uh', 'erm', 'hmm', 'hm', 'mm', 'ah', 'eh', 'э', 'эм', 'мм', 'ммм', 'ээ', 'ну', 'эээ', 'este', 'pues']);

const PHRASES = [
	// English
	"i don't know",
	'i dont know',
	'i do not know',
	"don't know",
	'dont know',
	'dunno',
	'idk',
	'no idea',
	'not sure',
	"i'm not sure",
	'no comment',
	'nothing',
	'pass',
	'skip',
	'n/a',
	'no answer',
	"can't say",
	'cannot say',
	"i can't remember",
	"don't remember",
	// Russian
	'не знаю',
	'я не знаю',
	'без понятия',
	'понятия не имею',
	'не помню',
	'затрудняюсь ответить',
	'сложно сказать',
	'трудно сказать',
	'не могу сказать',
	'ничего',
	'нет ответа',
	'пропустим',
	'пропустить',
	'без комментариев',
	// Spanish
	'no sé',
	'no se',
	'ni idea',
	'no lo sé',
	'no lo se',
	'no estoy seguro',
	'no estoy segura',
	'nada',
	'paso',
	'sin comentarios',
	'no recuerdo',
	'no me acuerdo'
];

const normalise = (text: string) =>
	text
		.toLowerCase()
		.replace(/[’`]/g, "'")
		.replace(/[^\p{L}\p{N}'/\s]+/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim();

const contains = (haystack: string, phrase: string) => ` ${haystack} `.includes(` ${phrase} `);

/** Whether a respondent's (transcribed) answer says nothing. */
export function isNonAnswer(text: string): boolean {
	const normalised = normalise(text);
	const words = normalised ? normalised.split(' ') : [];
	if (words.every((word) => FILLERS.has(word))) return true;
	if (words.length > NON_ANSWER_MAX_WORDS) return false;
	return PHRASES.some((phrase) => contains(normalised, phrase));
}
