import type { BadgeTone } from '$lib/components/Badge.svelte';
import type { QualityFlag, QualityReason, RecordQuality } from '$contracts/quality';

/** Words for the quality flag of a record and the reasons behind it. */

export const QUALITY_FLAG: Record<QualityFlag, { label: string; tone: BadgeTone }> = {
	ok: { label: 'OK', tone: 'success' },
	review: { label: 'Review', tone: 'warning' },
	low_quality: { label: 'Low quality', tone: 'danger' }
};

export const NOT_ASSESSED = { label: 'Not assessed', tone: 'neutral' as BadgeTone };

export const flagLook = (flag: QualityFlag | null) => (flag ? QUALITY_FLAG[flag] : NOT_ASSESSED);

const percent = (value: number | null | undefined) => `${Math.round((value ?? 0) * 100)}%`;
const LANGUAGES: Record<string, string> = { en: 'English', ru: 'Russian', es: 'Spanish' };

/** A reason in a few words, for the records list. */
export function reasonLabel(reason: QualityReason): string {
	switch (reason.code) {
		case 'non_answers':
			return `Non-answers ${percent(reason.value)}`;
		case 'short_answers':
			return `Short answers (median ${reason.value ?? 0} words)`;
		case 'answers_below_guide':
			return `Thin answers to ${percent(reason.value)} of questions`;
		case 'low_respondent_share':
			return `Respondent said ${percent(reason.value)} of the words`;
		case 'duplicate_email':
			return 'Same email as an earlier record';
		case 'duplicate_network':
			return 'Same network and browser as an earlier record';
		case 'speed_through':
			return `Finished in ${percent(reason.value)} of the planned time`;
		case 'language_mismatch':
			return `Answered in ${LANGUAGES[reason.language ?? ''] ?? reason.language ?? 'another language'}`;
		case 'text_not_checked':
			return 'No answers in words to check';
		case 'speakers_unknown':
			return 'Speakers not told apart';
	}
}

/** A reason in a sentence, for the record page: what was measured and the threshold it crossed. */
export function reasonSentence(reason: QualityReason): string {
	switch (reason.code) {
		case 'non_answers':
			return `${percent(reason.value)} of the answers said nothing (“I don’t know”, silence); the limit is ${percent(reason.limit)}.`;
		case 'short_answers':
			return `Half the answers had ${reason.value ?? 0} words or fewer; below ${reason.limit ?? 0} is short.`;
		case 'answers_below_guide':
			return `${percent(reason.value)} of the answered questions got fewer than ${reason.limit ?? 0} words.`;
		case 'low_respondent_share':
			return `The respondent said ${percent(reason.value)} of all the words; below ${percent(reason.limit)} the interviewer did the talking.`;
		case 'duplicate_email':
			return 'An earlier record of this project has the same email.';
		case 'duplicate_network':
			return 'An earlier interview of this project came from the same network and browser.';
		case 'speed_through':
			return `The interviewer covered the guide in ${percent(reason.value)} of the planned time (limit ${percent(reason.limit)}).`;
		case 'language_mismatch':
			return `The answers read as ${LANGUAGES[reason.language ?? ''] ?? reason.language}, not the interviewer’s language.`;
		case 'text_not_checked':
			return 'No answer is in words (audio only), so the text checks were skipped.';
		case 'speakers_unknown':
			return 'A recording’s transcript does not tell the speakers apart, so answers were not measured one by one.';
	}
}

/** The reasons that change the flag (not the notes on what could not be checked). */
export const flagReasons = (quality: RecordQuality) => quality.reasons.filter((reason) => reason.severity !== 'info');

export const QUALITY_FILTERS = [
	{ value: '', label: 'Any quality' },
	{ value: 'ok', label: 'OK' },
	{ value: 'review', label: 'Review' },
	{ value: 'low_quality', label: 'Low quality' },
	{ value: 'not_assessed', label: 'Not assessed' }
];
