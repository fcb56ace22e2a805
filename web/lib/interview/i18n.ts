/** Every string the respondent sees, in English and Russian. The link's language picks one. */

export type Locale = 'en' | 'ru';
export type BrowserFamily = 'chromium' | 'chromium-android' | 'firefox' | 'safari' | 'safari-ios' | 'other';
export type RefusalKey =
	| 'unknown'
	| 'expired'
	| 'cancelled'
	| 'disabled'
	| 'offline'
	| 'used_up'
	| 'completed'
	| 'inUse'
	| 'insufficientTokens'
	| 'badRequest'
	| 'tooManyFrames'
	| 'rejoinLocked'
	| 'screenedOut'
	| 'quotaFull'
	| 'closed';
export type EndReason = 'left' | 'deadline' | 'completed' | 'abandoned';
export type ConnectionLabel = 'connecting' | 'connected' | 'reconnecting' | 'offline';

function russianPlural(count: number, one: string, few: string, many: string): string {
	const lastTwo = count % 100;
	const last = count % 10;
	if (lastTwo >= 11 && lastTwo <= 14) return many;
	if (last === 1) return one;
	if (last >= 2 && last <= 4) return few;
	return many;
}

const en = {
	pageTitle: 'Interview',
	loading: 'Loading the interview…',
	loadFailed: 'We couldn’t load this interview. Check your connection and try again.',
	retry: 'Try again',
	localMode: 'Local mode',
	localModeHint: 'Your browser reads the questions aloud. Voice answers are recorded but not transcribed.',

	aboutTitle: 'An interview with an AI moderator',
	aboutBody: 'An AI interviewer will ask you questions and follow up on your answers. Speak naturally, or type if you prefer.',
	topicsTitle: 'What we’ll talk about',
	durationTitle: 'How long it takes',
	duration: (minutes: number) => `About ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
	durationUnknown: 'A few minutes.',
	recordingTitle: 'Recorded and transcribed',
	recordingBody: 'The conversation is recorded and transcribed by AI so the research team can review it.',
	privacyNote:
		'Your answers are used only for this research. Skip anything you’d rather not share. Your email only identifies your interview.',

	formTitle: 'Before you start',
	emailLabel: 'Your email',
	emailHint: 'It lets you rejoin if you get disconnected.',
	emailMissing: 'Enter your email.',
	emailInvalid: 'Enter an email address like name@example.com.',
	consentLabel: 'I agree that this conversation is recorded and transcribed by AI.',
	consentMissing: 'Please agree to the recording to start.',
	screenerTitle: 'A few questions first',
	screenerHint: 'They help us check that this study is a good fit for you.',
	screenerChooseOne: 'Choose one answer.',
	screenerChooseAny: 'Choose all that apply.',
	screenerMissing: 'Please answer this question.',
	screenerNumberInvalid: 'Enter a number.',
	endThanksTitle: 'Thank you for your time',
	endThanksHint: 'You can close this page now.',

	micTitle: 'Microphone',
	micIntro: 'To answer by voice, allow the microphone so the interviewer can hear you.',
	micAllow: 'Allow microphone',
	micAsking: 'Waiting for your permission. Look for your browser’s prompt.',
	micGranted: 'The microphone is on. Say something to see the level move.',
	micLevel: 'Microphone level',
	micDenied: 'The microphone is blocked for this site.',
	micDeniedHelp: {
		chromium: 'Click the site settings icon left of the address bar, set Microphone to Allow, then reload this page.',
		'chromium-android': 'Tap the icon left of the address bar, open Permissions, allow the Microphone, then reload this page.',
		firefox: 'Click the crossed-out microphone in the address bar, clear the block, then reload this page.',
		safari: 'Open Safari › Settings for this website, set Microphone to Allow, then reload this page.',
		'safari-ios': 'Tap aA in the address bar, open Website Settings, set Microphone to Allow, then reload this page.',
		other: 'Open this site’s settings in your browser, allow the microphone, then reload this page.'
	} satisfies Record<BrowserFamily, string>,
	micNoDevice: 'No microphone was found. Connect one and try again, or continue in text mode.',
	micBusy: 'The microphone could not be started. Another app may be using it.',
	micUnsupported: 'This browser cannot record audio on this page.',
	micMissingChoice: 'Allow the microphone or choose text mode to start.',
	useTextMode: 'Continue in text mode',
	textModeOn: 'Text mode: you will type your answers.',
	useMicrophoneInstead: 'Use the microphone instead',

	start: 'Start interview',
	starting: 'Connecting…',

	timeLeft: 'Time left',
	wrapUpAnnouncement: (seconds: number) =>
		`${seconds >= 60 ? 'About a minute' : `About ${seconds} seconds`} left: the interviewer is wrapping up.`,
	connection: {
		connecting: 'Connecting',
		connected: 'Connected',
		reconnecting: 'Reconnecting…',
		offline: 'Offline'
	} satisfies Record<ConnectionLabel, string>,
	connectionLabel: 'Connection',
	mute: 'Mute',
	unmute: 'Unmute',
	muted: 'Muted: the interviewer can’t hear you.',
	textModeCall: 'Text mode: type your answers below.',
	leave: 'Leave',
	leaveTitle: 'Leave the interview?',
	leaveBody: 'The interview ends for good and you cannot come back to it.',
	leaveConfirm: 'Leave interview',
	leaveCancel: 'Stay',
	interviewerSpeaking: 'The interviewer is speaking',
	listening: 'Listening',
	unlockAudio: 'Turn on sound and microphone',
	unlockSound: 'Turn on sound',
	unlockAudioHint: 'Your browser paused audio after the page reloaded.',

	transcriptTitle: 'Transcript',
	transcriptEmpty: 'The interviewer will begin in a moment.',
	interviewer: 'Interviewer',
	you: 'You',
	voiceNotTranscribed: 'Voice answer (not transcribed in local mode)',
	jumpToLatest: 'Jump to the latest',
	answerLabel: 'Type your answer',
	answerPlaceholder: 'Write your answer here…',
	send: 'Send',
	answerTooLong: (max: number) => `Keep your answer under ${max} characters.`,
	sendOffline: 'You can send once you are connected again.',
	actionFailed: 'Something went wrong with your last message. Please try again.',
	interviewerTrouble: 'The interviewer is having trouble. You can keep typing your answers.',

	endTitle: 'Thank you!',
	endReason: {
		left: 'You left the interview. Thank you for your time.',
		deadline: 'Time is up. Thank you for your answers.',
		completed: 'The interview is complete. Thank you for taking part.',
		abandoned: 'The interview has ended.'
	} satisfies Record<EndReason, string>,
	endNote: 'You can close this page now. Your transcript stays below.',
	verifyTitle: 'Check your email',
	verifyBody: (email: string) =>
		`This email already has an interview in progress. To continue it here, enter the 6-digit code we just sent to ${email}.`,
	verifyWhy: 'The code keeps anyone else from opening your answers.',
	verifyCodeLabel: 'Code from the email',
	verifyFormat: 'Enter the 6 digits from the email.',
	verifyContinue: 'Continue',
	verifyChecking: 'Checking…',
	verifyInvalid: 'That code is not right. Check the latest email and try again.',
	verifyExpired: 'That code has expired or was tried too often. Send a new one.',
	verifyResend: 'Send a new code',
	verifyResent: 'If your last code is more than a minute old, a new one is on its way.',
	verifyNewCode: 'We sent a new code. Use the one in the newest email.',
	replacedTitle: 'Continued in another tab',
	replacedBody: 'This interview is now open in another tab or on another device.',
	continueHere: 'Continue here',
	refusalTitle: 'This interview isn’t available',
	refusal: {
		unknown: 'This interview link doesn’t exist or is no longer valid.',
		expired: 'This interview link has expired.',
		cancelled: 'This interview has been cancelled by the research team.',
		disabled: 'This interview link is switched off for now. Please try again later.',
		offline: 'The interviewer is offline right now. Please try again later.',
		used_up: 'This interview link has already been used as many times as it allows.',
		completed: 'This interview has already been completed. Thank you!',
		inUse: 'This interview is already in use by another email address.',
		insufficientTokens: 'This interview can’t start right now because the research team has run out of interview credit.',
		badRequest: 'The interview could not start with these details. Check your email and try again.',
		tooManyFrames: 'The connection was closed because it sent too much at once. Reload the page to continue.',
		rejoinLocked: 'Too many wrong codes. Try again later, or go back to the browser where you started the interview.',
		screenedOut: 'This study is looking for people in a different situation, so we won’t need an interview from you this time.',
		quotaFull: 'This study already has enough respondents with answers like yours, so we won’t need an interview from you this time.',
		closed: 'The connection to the interview was closed. Reload the page to try again.'
	} satisfies Record<RefusalKey, string>,
	refusalHint: 'If you think this is a mistake, contact the person who sent you the link.',
	changeEmail: 'Use a different email'
};

export type Messages = typeof en;

const ru: Messages = {
	pageTitle: 'Интервью',
	loading: 'Загружаем интервью…',
	loadFailed: 'Не удалось загрузить интервью. Проверьте подключение и попробуйте ещё раз.',
	retry: 'Попробовать ещё раз',
	localMode: 'Локальный режим',
	localModeHint: 'Вопросы читает вслух ваш браузер. Голосовые ответы записываются, но не расшифровываются.',

	aboutTitle: 'Интервью с ИИ-модератором',
	aboutBody: 'ИИ-интервьюер задаст вам вопросы и уточнит ваши ответы. Говорите свободно или, если удобнее, пишите.',
	topicsTitle: 'О чём поговорим',
	durationTitle: 'Сколько это займёт',
	duration: (minutes: number) => `Около ${minutes} ${russianPlural(minutes, 'минуты', 'минут', 'минут')}.`,
	durationUnknown: 'Несколько минут.',
	recordingTitle: 'Запись и расшифровка',
	recordingBody: 'Разговор записывается и расшифровывается ИИ, чтобы исследователи могли его изучить.',
	privacyNote:
		'Ваши ответы используются только для этого исследования. Пропускайте всё, чем не хотите делиться. Email нужен только чтобы узнать ваше интервью.',

	formTitle: 'Перед началом',
	emailLabel: 'Ваш email',
	emailHint: 'С ним можно вернуться, если связь прервётся.',
	emailMissing: 'Введите email.',
	emailInvalid: 'Введите адрес вида name@example.com.',
	consentLabel: 'Я согласен(на) на запись разговора и его расшифровку с помощью ИИ.',
	consentMissing: 'Чтобы начать, дайте согласие на запись.',
	screenerTitle: 'Сначала несколько вопросов',
	screenerHint: 'Они помогут понять, подходит ли вам это исследование.',
	screenerChooseOne: 'Выберите один ответ.',
	screenerChooseAny: 'Выберите все подходящие ответы.',
	screenerMissing: 'Пожалуйста, ответьте на этот вопрос.',
	screenerNumberInvalid: 'Введите число.',
	endThanksTitle: 'Спасибо, что уделили время',
	endThanksHint: 'Эту страницу можно закрыть.',

	micTitle: 'Микрофон',
	micIntro: 'Чтобы отвечать голосом, разрешите доступ к микрофону.',
	micAllow: 'Разрешить микрофон',
	micAsking: 'Ждём вашего разрешения. Посмотрите на запрос браузера.',
	micGranted: 'Микрофон включён. Скажите что-нибудь — уровень должен двигаться.',
	micLevel: 'Уровень микрофона',
	micDenied: 'Доступ к микрофону для этого сайта заблокирован.',
	micDeniedHelp: {
		chromium: 'Нажмите на значок настроек слева от адресной строки, разрешите микрофон и перезагрузите страницу.',
		'chromium-android': 'Нажмите на значок слева от адресной строки, откройте «Разрешения», разрешите микрофон и перезагрузите страницу.',
		firefox: 'Нажмите на перечёркнутый микрофон в адресной строке, снимите блокировку и перезагрузите страницу.',
		safari: 'Откройте Safari › Настройки для этого веб-сайта, разрешите микрофон и перезагрузите страницу.',
		'safari-ios': 'Нажмите aA в адресной строке, откройте «Настройки веб-сайта», разрешите микрофон и перезагрузите страницу.',
		other: 'Откройте настройки этого сайта в браузере, разрешите микрофон и перезагрузите страницу.'
	},
	micNoDevice: 'Микрофон не найден. Подключите его и попробуйте снова или продолжите в текстовом режиме.',
	micBusy: 'Не удалось включить микрофон. Возможно, он занят другим приложением.',
	micUnsupported: 'Этот браузер не может записывать звук на этой странице.',
	micMissingChoice: 'Разрешите микрофон или выберите текстовый режим, чтобы начать.',
	useTextMode: 'Продолжить в текстовом режиме',
	textModeOn: 'Текстовый режим: вы будете писать ответы.',
	useMicrophoneInstead: 'Использовать микрофон',

	start: 'Начать интервью',
	starting: 'Подключаемся…',

	timeLeft: 'Осталось',
	wrapUpAnnouncement: (seconds: number) =>
		`${seconds >= 60 ? 'Осталась примерно минута' : `Осталось около ${seconds} ${russianPlural(seconds, 'секунды', 'секунд', 'секунд')}`}: интервьюер подводит итоги.`,
	connection: {
		connecting: 'Подключение',
		connected: 'На связи',
		reconnecting: 'Переподключение…',
		offline: 'Нет сети'
	},
	connectionLabel: 'Соединение',
	mute: 'Выключить микрофон',
	unmute: 'Включить микрофон',
	muted: 'Микрофон выключен: вас не слышно.',
	textModeCall: 'Текстовый режим: пишите ответы ниже.',
	leave: 'Выйти',
	leaveTitle: 'Выйти из интервью?',
	leaveBody: 'Интервью завершится, и вернуться к нему будет нельзя.',
	leaveConfirm: 'Выйти из интервью',
	leaveCancel: 'Остаться',
	interviewerSpeaking: 'Интервьюер говорит',
	listening: 'Слушаем',
	unlockAudio: 'Включить звук и микрофон',
	unlockSound: 'Включить звук',
	unlockAudioHint: 'Браузер приостановил звук после перезагрузки страницы.',

	transcriptTitle: 'Расшифровка',
	transcriptEmpty: 'Интервьюер сейчас начнёт.',
	interviewer: 'Интервьюер',
	you: 'Вы',
	voiceNotTranscribed: 'Голосовой ответ (в локальном режиме не расшифровывается)',
	jumpToLatest: 'К последним репликам',
	answerLabel: 'Напишите ответ',
	answerPlaceholder: 'Ваш ответ…',
	send: 'Отправить',
	answerTooLong: (max: number) => `Ответ должен быть короче ${max} символов.`,
	sendOffline: 'Отправить можно будет, когда связь восстановится.',
	actionFailed: 'С последним сообщением что-то пошло не так. Попробуйте ещё раз.',
	interviewerTrouble: 'У интервьюера неполадки. Вы можете продолжать писать ответы.',

	endTitle: 'Спасибо!',
	endReason: {
		left: 'Вы вышли из интервью. Спасибо за ваше время.',
		deadline: 'Время вышло. Спасибо за ваши ответы.',
		completed: 'Интервью завершено. Спасибо за участие.',
		abandoned: 'Интервью завершилось.'
	},
	endNote: 'Эту страницу можно закрыть. Расшифровка остаётся ниже.',
	verifyTitle: 'Проверьте почту',
	verifyBody: (email: string) =>
		`С этим email уже идёт интервью. Чтобы продолжить его здесь, введите 6-значный код, который мы только что отправили на ${email}.`,
	verifyWhy: 'Код не даёт никому другому открыть ваши ответы.',
	verifyCodeLabel: 'Код из письма',
	verifyFormat: 'Введите 6 цифр из письма.',
	verifyContinue: 'Продолжить',
	verifyChecking: 'Проверяем…',
	verifyInvalid: 'Код не подходит. Проверьте последнее письмо и попробуйте ещё раз.',
	verifyExpired: 'Срок действия кода истёк или его вводили слишком много раз. Запросите новый.',
	verifyResend: 'Отправить новый код',
	verifyResent: 'Если последнему коду больше минуты, новый уже в пути.',
	verifyNewCode: 'Мы отправили новый код. Используйте код из последнего письма.',
	replacedTitle: 'Продолжено в другой вкладке',
	replacedBody: 'Это интервью теперь открыто в другой вкладке или на другом устройстве.',
	continueHere: 'Продолжить здесь',
	refusalTitle: 'Интервью недоступно',
	refusal: {
		unknown: 'Такой ссылки на интервью нет или она больше не действует.',
		expired: 'Срок действия этой ссылки истёк.',
		cancelled: 'Исследователи отменили это интервью.',
		disabled: 'Эта ссылка пока отключена. Попробуйте позже.',
		offline: 'Интервьюер сейчас не в сети. Попробуйте позже.',
		used_up: 'Эту ссылку уже использовали столько раз, сколько она позволяет.',
		completed: 'Это интервью уже завершено. Спасибо!',
		inUse: 'Это интервью уже проходит другой участник с другим email.',
		insufficientTokens: 'Интервью сейчас не может начаться: у исследователей закончился баланс.',
		badRequest: 'С этими данными интервью не началось. Проверьте email и попробуйте ещё раз.',
		tooManyFrames: 'Соединение закрыто: отправлено слишком много данных сразу. Перезагрузите страницу.',
		rejoinLocked: 'Слишком много неверных кодов. Попробуйте позже или вернитесь в браузер, где вы начали интервью.',
		screenedOut: 'Это исследование ищет людей в другой ситуации, поэтому интервью с вами в этот раз не понадобится.',
		quotaFull: 'В исследовании уже достаточно участников с такими же ответами, поэтому интервью с вами в этот раз не понадобится.',
		closed: 'Соединение с интервью закрыто. Перезагрузите страницу, чтобы попробовать снова.'
	},
	refusalHint: 'Если это ошибка, свяжитесь с тем, кто прислал вам ссылку.',
	changeEmail: 'Указать другой email'
};

const MESSAGES: Record<Locale, Messages> = { en, ru };

export function messagesFor(locale: Locale): Messages {
	return MESSAGES[locale];
}

/** `auto` (or no language) follows the browser; anything Russian gets Russian, the rest English. */
export function localeFor(linkLanguage: string | null | undefined, browserLanguages: readonly string[]): Locale {
	const language = !linkLanguage || linkLanguage === 'auto' ? (browserLanguages[0] ?? 'en') : linkLanguage;
	return language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The BCP 47 tag speech synthesis should use: the link's language, or the browser's for `auto`. */
export function speechLanguageFor(linkLanguage: string | null | undefined, browserLanguages: readonly string[]): string {
	return !linkLanguage || linkLanguage === 'auto' ? (browserLanguages[0] ?? 'en') : linkLanguage;
}
