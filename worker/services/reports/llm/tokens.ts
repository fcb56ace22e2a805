/**
 * A conservative count of Llama 3 tokens, for budgeting a prompt against the model's context
 * window. No tokenizer runs in workerd (Llama 3's vocabulary alone is megabytes), so each
 * character is charged by its script at a rate above what the tokenizer averages: English runs
 * near 4.5 characters a token, Russian near 2.5-3 (charged 2), Chinese and Japanese near one
 * (charged 1.5). Counting characters alone, as before, let a Russian transcript cost twice what
 * the budget assumed and overflow the window.
 */

const RATES: Array<[RegExp, number]> = [
	[/\s/u, 0.25],
	[/[A-Za-z]/u, 0.3],
	[/[0-9]/u, 0.5],
	[/[\x21-\x7e]/u, 0.8],
	[/[\u00c0-\u024f\u1e00-\u1eff]/u, 0.6],
	[/[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Georgian}\p{Script=Hebrew}\p{Script=Arabic}]/u, 0.5],
	[/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u, 1.5],
	[/[\p{L}\p{M}\p{N}]/u, 1]
];
/** Emoji and other symbols are several byte-level tokens each. */
const OTHER = 3;

/** Rates of the characters met so far: a transcript uses a few hundred distinct ones. */
const charge = new Map<string, number>();
const CACHE_LIMIT = 4096;

function rateOf(char: string): number {
	let rate = charge.get(char);
	if (rate === undefined) {
		rate = RATES.find(([pattern]) => pattern.test(char))?.[1] ?? OTHER;
		if (charge.size < CACHE_LIMIT) charge.set(char, rate);
	}
	return rate;
}

export function estimateTokens(text: string): number {
	let total = 0;
	for (const char of text) total += rateOf(char);
	return Math.ceil(total);
}
