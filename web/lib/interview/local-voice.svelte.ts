import type { PublicLink } from '$contracts/links';
import type { Turn } from '$contracts/protocol';
import { browserLanguages, speechLanguageFor } from './i18n';
import { Speaker } from './speaker.svelte';

/**
 * Local mode's interviewer voice: the browser speaks each final interviewer turn once (other
 * providers send the interviewer's own audio). The speaker is made at the first turn, in the
 * language and voice the link asks for at that moment.
 */
export class LocalVoice {
	private speaker = $state<Speaker | null>(null);
	private readonly spokenTurnIds = new Set<string>();

	constructor(private readonly link: () => PublicLink | null) {}

	get speaking(): boolean {
		return this.speaker?.speaking ?? false;
	}

	/** The browser refused to speak without a user gesture (after a reload). */
	get blocked(): boolean {
		return this.speaker?.blocked ?? false;
	}

	/** Turns the respondent has already seen (a welcome's transcript): not spoken again by `speak`. */
	heard(turns: readonly Turn[]): void {
		for (const turn of turns) this.spokenTurnIds.add(turn.id);
	}

	/** Speaks a turn not spoken before, or again when `again` (the open question on a rejoin). */
	speak(turn: Turn, again: boolean): void {
		if (!Speaker.supported) return;
		if (this.spokenTurnIds.has(turn.id) && !again) return;
		this.spokenTurnIds.add(turn.id);
		this.speaker ??= new Speaker(speechLanguageFor(this.link()?.language, browserLanguages()), this.link()?.voice ?? null);
		this.speaker.speak(turn.text);
	}

	repeatLast(): void {
		this.speaker?.repeatLast();
	}

	cancel(): void {
		this.speaker?.cancel();
	}
}
