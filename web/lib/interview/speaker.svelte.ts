/** Reading time allowed before assuming the engine went quiet: far slower than any real voice. */
const WATCHDOG_BASE_MS = 2_000;
const WATCHDOG_MS_PER_CHARACTER = 120;

/**
 * Reads interviewer turns aloud with the browser's speech synthesis, for providers that send text
 * only (local mode). It prefers the link's voice by name, else a voice of the link's language.
 */
export class Speaker {
	speaking = $state(false);
	/** The browser refused to speak without a user gesture (after a reload). */
	blocked = $state(false);

	private pending = 0;
	private lastText: string | null = null;
	private watchdog: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly language: string,
		private readonly voiceName: string | null
	) {
		// Some browsers load their voice list lazily; asking early makes it ready for the first question.
		if (Speaker.supported) speechSynthesis.getVoices();
	}

	static get supported(): boolean {
		return typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';
	}

	speak(text: string): void {
		if (!Speaker.supported || text.trim() === '') return;
		this.lastText = text;
		// Long utterances get cut off in some engines; sentences are short enough everywhere.
		for (const sentence of splitSentences(text)) {
			// A guide question without a translation is read in its own language, not with the interview's voice.
			const language = languageOfText(sentence, this.language);
			const voice = this.pickVoice(language);
			const utterance = new SpeechSynthesisUtterance(sentence);
			utterance.lang = voice?.lang ?? language;
			if (voice) utterance.voice = voice;
			utterance.onstart = () => {
				this.blocked = false;
			};
			utterance.onend = () => this.settle();
			utterance.onerror = (event) => {
				if (event.error === 'not-allowed') this.blocked = true;
				this.settle();
			};
			this.pending += 1;
			this.speaking = true;
			speechSynthesis.speak(utterance);
		}
		this.armWatchdog(text);
	}

	/** After a user gesture: say the last question again (it was blocked or cut short). */
	repeatLast(): void {
		this.blocked = false;
		if (this.lastText) {
			this.cancel();
			this.speak(this.lastText);
		}
	}

	cancel(): void {
		if (!Speaker.supported) return;
		clearTimeout(this.watchdog);
		this.pending = 0;
		this.speaking = false;
		speechSynthesis.cancel();
	}

	private settle(): void {
		this.pending = Math.max(0, this.pending - 1);
		this.speaking = this.pending > 0;
		if (!this.speaking) clearTimeout(this.watchdog);
	}

	/**
	 * Some engines (no voices installed, a stalled queue) never report the end of an utterance.
	 * Past a generous reading time the page stops waiting, so the microphone is not held back forever.
	 */
	private armWatchdog(text: string): void {
		clearTimeout(this.watchdog);
		const readingMs = WATCHDOG_BASE_MS + text.length * WATCHDOG_MS_PER_CHARACTER;
		this.watchdog = setTimeout(() => {
			this.pending = 0;
			this.speaking = false;
		}, readingMs);
	}

	private pickVoice(spoken: string): SpeechSynthesisVoice | null {
		const voices = speechSynthesis.getVoices();
		const language = spoken.toLowerCase();
		const wanted = this.voiceName?.toLowerCase();
		const named = wanted ? voices.find((voice) => voice.name.toLowerCase() === wanted) : undefined;
		if (named && named.lang.toLowerCase().split(/[-_]/)[0] === language.split('-')[0]) return named;
		const base = language.split('-')[0] ?? language;
		const sameTag = voices.filter((voice) => voice.lang.toLowerCase().replace('_', '-') === language);
		const sameLanguage = voices.filter((voice) => voice.lang.toLowerCase().split(/[-_]/)[0] === base);
		const candidates = sameTag.length > 0 ? sameTag : sameLanguage;
		return candidates.find((voice) => voice.localService) ?? candidates[0] ?? null;
	}
}

function splitSentences(text: string): string[] {
	const sentences = text.match(/[^.!?…]+[.!?…]*\s*/g)?.map((sentence) => sentence.trim()) ?? [];
	const spoken = sentences.filter((sentence) => sentence !== '');
	return spoken.length > 0 ? spoken : [text];
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/**
 * The language a sentence is written in, as far as its script tells between the two the local
 * interviewer speaks: Cyrillic is Russian; Latin text in a Russian interview is English (a guide
 * question read as written). Anything else keeps the interview's language.
 */
export function languageOfText(sentence: string, interviewLanguage: string): string {
	const russianInterview = interviewLanguage.toLowerCase().startsWith('ru');
	if (CYRILLIC.test(sentence)) return russianInterview ? interviewLanguage : 'ru';
	if (russianInterview && LATIN.test(sentence)) return 'en';
	return interviewLanguage;
}
