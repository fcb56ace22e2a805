/**
 * Word error rate of a transcript against the text that was spoken: the word-level edit distance
 * (substitutions, deletions, insertions) over the number of spoken words. Words are compared
 * lower-cased, without punctuation, with ё read as е, so only the words themselves count.
 */

export type WordScore = {
	/** (substitutions + deletions + insertions) / reference words; 0 is perfect, and it can exceed 1. */
	wer: number;
	/** Reference words heard right, over the reference words: "≥ 80 % of its words". */
	recall: number;
	referenceWords: number;
	substitutions: number;
	deletions: number;
	insertions: number;
};

export function words(text: string): string[] {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/ё/g, 'е')
		.replace(/[’`]/g, "'")
		.replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
		.replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
		.split(/\s+/)
		.filter(Boolean);
}

export function wordErrorRate(reference: string, hypothesis: string): WordScore {
	const ref = words(reference);
	const hyp = words(hypothesis);
	// cost[i][j]: the cheapest edit of ref[0..i) into hyp[0..j), with the edit that got there.
	type Cell = { cost: number; substitutions: number; deletions: number; insertions: number };
	let previous: Cell[] = hyp.map((_, j) => ({ cost: j + 1, substitutions: 0, deletions: 0, insertions: j + 1 }));
	previous.unshift({ cost: 0, substitutions: 0, deletions: 0, insertions: 0 });
	for (let i = 1; i <= ref.length; i += 1) {
		const row: Cell[] = [{ cost: i, substitutions: 0, deletions: i, insertions: 0 }];
		for (let j = 1; j <= hyp.length; j += 1) {
			const same = ref[i - 1] === hyp[j - 1];
			const diagonal = previous[j - 1]!;
			const options: Cell[] = [
				{ ...diagonal, cost: diagonal.cost + (same ? 0 : 1), substitutions: diagonal.substitutions + (same ? 0 : 1) },
				{ ...previous[j]!, cost: previous[j]!.cost + 1, deletions: previous[j]!.deletions + 1 },
				{ ...row[j - 1]!, cost: row[j - 1]!.cost + 1, insertions: row[j - 1]!.insertions + 1 }
			];
			row.push(options.reduce((best, option) => (option.cost < best.cost ? option : best)));
		}
		previous = row;
	}
	const last = previous[hyp.length]!;
	const referenceWords = ref.length;
	const errors = last.substitutions + last.deletions + last.insertions;
	return {
		wer: referenceWords === 0 ? (hyp.length === 0 ? 0 : 1) : errors / referenceWords,
		recall: referenceWords === 0 ? 1 : (referenceWords - last.substitutions - last.deletions) / referenceWords,
		referenceWords,
		substitutions: last.substitutions,
		deletions: last.deletions,
		insertions: last.insertions
	};
}
