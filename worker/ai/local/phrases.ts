/** What the local interviewer says, in English and Russian (Auto and other languages use English). */
type Phrases = {
	greeting: (topics: string[]) => string;
	genericProbe: string;
	transition: string;
	wrapUp: string;
	lastQuestion: string;
	closing: string;
	voiceAnswer: (seconds: number) => string;
};

const en: Phrases = {
	greeting: (topics) =>
		`Hi, and thank you for taking the time to talk with me. ${topics.length ? `We'll talk about ${topics.join(', ')}. ` : ''}There are no right or wrong answers; I'm interested in your own experience.`,
	genericProbe: 'Could you tell me a bit more about that? A specific example would help.',
	transition: 'Thank you.',
	wrapUp: "We're almost out of time. Is there anything else you'd like to add before we finish?",
	lastQuestion: "We're almost out of time, so one last question.",
	closing: "That's everything I wanted to ask. Thank you very much for your time and your thoughts. Goodbye!",
	voiceAnswer: (seconds) => `(voice answer, ${seconds.toFixed(1)} s, not transcribed in local mode)`
};

const ru: Phrases = {
	greeting: (topics) =>
		`Здравствуйте и спасибо, что нашли время поговорить со мной. ${topics.length ? `Мы поговорим о темах: ${topics.join(', ')}. ` : ''}Здесь нет правильных или неправильных ответов — мне интересен ваш опыт.`,
	genericProbe: 'Расскажите, пожалуйста, подробнее. Конкретный пример очень поможет.',
	transition: 'Спасибо.',
	wrapUp: 'Наше время почти закончилось. Хотите что-нибудь добавить напоследок?',
	lastQuestion: 'Наше время почти закончилось, поэтому последний вопрос.',
	closing: 'Это все мои вопросы. Большое спасибо за ваше время и ваши мысли. До свидания!',
	voiceAnswer: (seconds) => `(голосовой ответ, ${seconds.toFixed(1)} с, без расшифровки в локальном режиме)`
};

export function phrasesFor(language: string): Phrases {
	return language.startsWith('ru') ? ru : en;
}
