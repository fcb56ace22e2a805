/** Small, deterministic text tools for the local extractive report: tokens, similarity, TF-IDF, tone. */

const STOPWORDS = new Set(
	(
		'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just like me more most my myself no nor not now of off on once only or other our ours ourselves out over own really same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
		"um uh yeah yes okay ok well thing things lot kind sort get got go going know think mean said say tell told one two first much many way also still even every something anything dont don't im i'm it's that's there's can't didn't doesn't isn't wasn't i've i'd i'll you're we're they're"
	).split(/\s+/)
);

export function tokens(text: string): string[] {
	return (
		text
			.toLowerCase()
			.normalize('NFKC')
			.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []
	).map((token) => token.replace(/’/g, "'"));
}

export function contentTokens(text: string): string[] {
	return tokens(text).filter((token) => token.length >= 3 && !STOPWORDS.has(token) && !/^\d+$/.test(token));
}

/** Cosine similarity of two texts' content-word counts, 0..1. */
export function similarity(left: string, right: string): number {
	const count = (text: string) => {
		const counts = new Map<string, number>();
		for (const token of contentTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
		return counts;
	};
	const a = count(left);
	const b = count(right);
	let dot = 0;
	for (const [token, n] of a) dot += n * (b.get(token) ?? 0);
	const norm = (counts: Map<string, number>) => Math.sqrt([...counts.values()].reduce((sum, n) => sum + n * n, 0));
	const denominator = norm(a) * norm(b);
	return denominator === 0 ? 0 : dot / denominator;
}

export type KeyTerm = { term: string; score: number };

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** TF-IDF over documents (one per record), summed across them; ties break alphabetically. */
export function keyTerms(documents: string[], limit = 15): KeyTerm[] {
	const docs = documents.map((document) => contentTokens(document));
	const documentFrequency = new Map<string, number>();
	for (const doc of docs) for (const term of new Set(doc)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
	const scores = new Map<string, number>();
	for (const doc of docs) {
		if (doc.length === 0) continue;
		const counts = new Map<string, number>();
		for (const term of doc) counts.set(term, (counts.get(term) ?? 0) + 1);
		for (const [term, n] of counts) {
			const idf = Math.log((1 + docs.length) / (1 + documentFrequency.get(term)!)) + 1;
			scores.set(term, (scores.get(term) ?? 0) + (n / doc.length) * idf);
		}
	}
	return [...scores]
		.map(([term, score]) => ({ term, score: round(score) }))
		.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term))
		.slice(0, limit);
}

const POSITIVE = new Set(
	'good great love loved like liked easy helpful happy enjoy enjoyed excellent clear fast useful smooth nice pleased amazing simple welcoming supportive best better'.split(
		' '
	)
);
const NEGATIVE = new Set(
	'bad hard difficult confusing confused slow frustrating frustrated annoying hate hated problem problems issue issues broken worse worst painful unclear lost stuck overwhelming overwhelmed poor'.split(
		' '
	)
);

export type Tone = { label: 'positive' | 'neutral' | 'negative' | 'mixed'; positive: number; negative: number };

export function tone(text: string): Tone {
	let positive = 0;
	let negative = 0;
	for (const token of tokens(text)) {
		if (POSITIVE.has(token)) positive += 1;
		if (NEGATIVE.has(token)) negative += 1;
	}
	const total = positive + negative;
	let label: Tone['label'] = 'neutral';
	if (total > 0) {
		if (positive >= 2 * Math.max(negative, 0.5)) label = 'positive';
		else if (negative >= 2 * Math.max(positive, 0.5)) label = 'negative';
		else label = 'mixed';
	}
	return { label, positive, negative };
}

/** Research goals as separate lines or sentences. */
export function splitGoals(researchGoals: string): string[] {
	const lines = researchGoals
		.split(/\n+/)
		.map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, '').trim())
		.filter(Boolean);
	const goals =
		lines.length > 1
			? lines
			: researchGoals
					.split(/(?<=[.?!])\s+/)
					.map((part) => part.trim())
					.filter(Boolean);
	return goals.slice(0, 10);
}
