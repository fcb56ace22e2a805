import type { WordScore } from './wer.ts';

/** The smoke test's result: one line per check, with the figure that decided it, and the exit code they add up to. */

export type Check = { label: string; status: 'pass' | 'fail' | 'skip'; figure: string };

const MARKS = { pass: '✔', fail: '✖', skip: '–' } as const;

export const check = (label: string, ok: boolean, figure: string): Check => ({ label, status: ok ? 'pass' : 'fail', figure });
export const skipped = (label: string, why: string): Check => ({ label, status: 'skip', figure: why });

/** Most of the spoken words must come back: recall, with the word error rate beside it. */
export const MIN_WORD_RECALL = 0.8;

export function wordsCheck(label: string, score: WordScore | null, heard: string | null): Check {
	if (!score) return check(label, false, 'no transcript of the answer arrived');
	const percent = (value: number) => `${Math.round(value * 100)} %`;
	return check(
		label,
		score.recall >= MIN_WORD_RECALL,
		`${percent(score.recall)} of ${score.referenceWords} words, WER ${percent(score.wer)}: "${heard ?? ''}"`
	);
}

export function renderChecklist(title: string, checks: Check[]): string {
	const failed = checks.filter((each) => each.status === 'fail').length;
	const lines = checks.map((each) => `  ${MARKS[each.status]} ${each.label} — ${each.figure}`);
	const verdict = failed === 0 ? 'all checks passed' : `${failed} of ${checks.length} checks failed`;
	return [title, ...lines, '', `  ${verdict}`].join('\n');
}

export const exitCodeOf = (checks: Check[]) => (checks.some((each) => each.status === 'fail') ? 1 : 0);
