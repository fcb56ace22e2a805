import type { LinkKind } from '$contracts/links';
import { KIND_LABELS } from '$lib/links/link-format';

/** Who is being interviewed, as the observer page and the "Live now" list name them. */
export const respondentLabel = (email: string | null) => email ?? 'Anonymous respondent';

/** A link by its name, or by its kind when it has none (unnamed single-use links). */
export const liveLinkLabel = (link: { name: string; kind: LinkKind }) => link.name || `${KIND_LABELS[link.kind]} link`;

const ENDINGS: Record<string, string> = {
	left: 'The respondent ended the interview.',
	completed: 'The interviewer covered the guide and closed the interview.',
	deadline: 'The interview reached its time limit.',
	abandoned: 'The respondent left and did not come back.',
	not_started: 'The interview never started.'
};

/** Why an interview ended, in words. */
export const endingLabel = (reason: string) => ENDINGS[reason] ?? 'The interview has ended.';
