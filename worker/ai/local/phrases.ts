/** What the local interviewer says, in English and Russian (other languages use English). */
type Phrases = {
	greeting: (topics: string[]) => string;
	genericProbe: string;
	transition: string;
	wrapUp: string;
	lastQuestion: string;
	closing: string;
	voiceAnswer: (seconds: number) => string;
	/** Said once, in the respondent's language, when the questions are read in the guide's own. */
	questionsIn: (guideLanguage: 'en' | 'ru') => string;
};

const en: Phrases = {
	greeting: (topics) =>
		`Hi, and thank you for taking the time to talk with me. ${topics.length ? `We'll talk about ${topics.join(', ')}. ` : ''}There are no right or wrong answers; I'm interested in your own experience.`,
	genericProbe: 'Could you tell me a bit more about that? A specific example would help.',
	transition: 'Thank you.',
	wrapUp: "We're almost out of time. Is there anything else you'd like to add before we finish?",
	lastQuestion: "We're almost out of time, so one last question.",
	closing: "That's everything I wanted to ask. Thank you very much for your time and your thoughts. Goodbye!",
	voiceAnswer: (seconds) => `(voice answer, ${seconds.toFixed(1)} s, not transcribed in local mode)`,
	questionsIn: (guideLanguage) =>
		`The questions were written in ${guideLanguage === 'ru' ? 'Russian' : 'English'}, so I will read them as written; you can answer in English.`
};

const ru: Phrases = {
	greeting: (topics) =>
		`Здравствуйте и спасибо, что нашли время поговорить со мной. ${topics.length ? `Мы поговорим о темах: ${topics.join(', ')}. ` : ''}Здесь нет правильных или неправильных ответов — мне интересен ваш опыт.`,
	genericProbe: 'Расскажите, пожалуйста, подробнее. Конкретный пример очень поможет.',
	transition: 'Спасибо.',
	wrapUp: 'Наше время почти закончилось. Хотите что-нибудь добавить напоследок?',
	lastQuestion: 'Наше время почти закончилось, поэтому последний вопрос.',
	closing: 'Это все мои вопросы. Большое спасибо за ваше время и ваши мысли. До свидания!',
	voiceAnswer: (seconds) => `(голосовой ответ, ${seconds.toFixed(1)} с, без расшифровки в локальном режиме)`,
	questionsIn: (guideLanguage) =>
		`Вопросы написаны ${guideLanguage === 'ru' ? 'по-русски' : 'по-английски'}, поэтому я прочитаю их как есть; отвечать можно по-русски.`
};

/** The local interviewer's own language: Russian or English (the fallback for every other language). */
export const phraseLanguageOf = (language: string | null): 'en' | 'ru' => (language?.startsWith('ru') ? 'ru' : 'en');

export function phrasesFor(language: string | null): Phrases {
	return phraseLanguageOf(language) === 'ru' ? ru : en;
}
