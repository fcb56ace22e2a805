import type { Messages } from './i18n';

/** The words the transcript panel shows: the respondent's page in their language, the observer page in the dashboard's. */
export type TranscriptLabels = {
	title: string;
	empty: string;
	interviewer: string;
	respondent: string;
	voiceNotTranscribed: string;
	jumpToLatest: string;
};

/** The respondent reads their own turns as "You". */
export const respondentTranscriptLabels = (t: Messages): TranscriptLabels => ({
	title: t.transcriptTitle,
	empty: t.transcriptEmpty,
	interviewer: t.interviewer,
	respondent: t.you,
	voiceNotTranscribed: t.voiceNotTranscribed,
	jumpToLatest: t.jumpToLatest
});
