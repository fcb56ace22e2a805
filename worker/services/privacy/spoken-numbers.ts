/**
 * Numbers as speech-to-text writes them when someone dictates: "four one five, five five five…",
 * "плюс семь девятьсот шестнадцать сто двадцать три…". A run of number words becomes the digits it
 * spells, group by group ("девятьсот шестнадцать" is 916), so a dictated phone or card number can be
 * checked like a written one.
 */

const UNITS: Record<string, number> = {
	zero: 0,
	oh: 0,
	one: 1,
	two: 2,
	three: 3,
	four: 4,
	five: 5,
	six: 6,
	seven: 7,
	eight: 8,
	nine: 9,
	ноль: 0,
	нуль: 0,
	один: 1,
	одна: 1,
	одно: 1,
	два: 2,
	две: 2,
	три: 3,
	четыре: 4,
	пять: 5,
	шесть: 6,
	семь: 7,
	восемь: 8,
	девять: 9
};
const TEENS: Record<string, number> = {
	ten: 10,
	eleven: 11,
	twelve: 12,
	thirteen: 13,
	fourteen: 14,
	fifteen: 15,
	sixteen: 16,
	seventeen: 17,
	eighteen: 18,
	nineteen: 19,
	десять: 10,
	одиннадцать: 11,
	двенадцать: 12,
	тринадцать: 13,
	четырнадцать: 14,
	пятнадцать: 15,
	шестнадцать: 16,
	семнадцать: 17,
	восемнадцать: 18,
	девятнадцать: 19
};
const TENS: Record<string, number> = {
	twenty: 20,
	thirty: 30,
	forty: 40,
	fifty: 50,
	sixty: 60,
	seventy: 70,
	eighty: 80,
	ninety: 90,
	двадцать: 20,
	тридцать: 30,
	сорок: 40,
	пятьдесят: 50,
	шестьдесят: 60,
	семьдесят: 70,
	восемьдесят: 80,
	девяносто: 90
};
const HUNDREDS: Record<string, number> = {
	сто: 100,
	двести: 200,
	триста: 300,
	четыреста: 400,
	пятьсот: 500,
	шестьсот: 600,
	семьсот: 700,
	восемьсот: 800,
	девятьсот: 900
};
const REPEATS: Record<string, number> = { double: 2, triple: 3 };

const NUMBER_WORDS = [
	...Object.keys(UNITS),
	...Object.keys(TEENS),
	...Object.keys(TENS),
	...Object.keys(HUNDREDS),
	'hundred',
	...Object.keys(REPEATS)
];
const WORD = `(?:${NUMBER_WORDS.sort((a, b) => b.length - a.length).join('|')}|\\d{1,4})`;
const EDGE_BEFORE = '(?<![\\p{L}\\d])';
const EDGE_AFTER = '(?![\\p{L}\\d])';

/** A dictated number: an optional "plus", then number words (or short digit groups) separated by spaces, commas or dashes. */
export const SPOKEN_NUMBER = new RegExp(
	`${EDGE_BEFORE}(?:(?:plus|плюс)\\s+)?${WORD}${EDGE_AFTER}(?:[\\s,–-]+${WORD}${EDGE_AFTER})+`,
	'giu'
);

type Group = { value: number; rank: number };

/** The digits a run of number words spells, and whether it began with "plus". */
export function spokenDigits(run: string): { digits: string; plus: boolean; words: number } {
	const tokens = run
		.toLowerCase()
		.split(/[\s,–-]+/)
		.filter(Boolean);
	const plus = tokens[0] === 'plus' || tokens[0] === 'плюс';
	let digits = '';
	let group: Group | null = null;
	let repeat = 1;
	let words = 0;
	const close = () => {
		if (group) digits += String(group.value);
		group = null;
	};
	for (const token of plus ? tokens.slice(1) : tokens) {
		words += 1;
		if (/^\d+$/.test(token)) {
			close();
			digits += token;
			continue;
		}
		if (token in REPEATS) {
			close();
			repeat = REPEATS[token]!;
			continue;
		}
		if (token === 'hundred') {
			// "eight hundred" is 800; "hundred" alone is 100.
			const base: number = group ? (group as Group).value : 1;
			group = { value: base * 100, rank: 3 };
			continue;
		}
		const [value, rank] =
			token in HUNDREDS
				? [HUNDREDS[token]!, 3]
				: token in TENS
					? [TENS[token]!, 2]
					: token in TEENS
						? [TEENS[token]!, 1]
						: [UNITS[token]!, 0];
		// A smaller place after a larger one adds to it ("сто двадцать три", "forty five"); anything else starts a new group.
		const current = group as Group | null;
		if (current && current.rank > rank && current.value % (current.rank === 3 ? 100 : 10) === 0 && !(current.rank === 2 && rank === 1)) {
			group = { value: current.value + value, rank };
			continue;
		}
		close();
		if (rank === 0 && repeat > 1) {
			digits += String(value).repeat(repeat);
			repeat = 1;
			continue;
		}
		group = { value, rank };
	}
	close();
	return { digits, plus, words };
}
