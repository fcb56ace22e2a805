import { describe, expect, it } from 'vitest';
import corpus from '../fixtures/pii/corpus.json';
import { redactPatterns } from '../../worker/services/privacy';

/**
 * The pattern pass against the PII corpus (test/fixtures/pii/corpus.json): every positive comes out
 * as its placeholder, every false positive (years, prices, order numbers, dates, times, durations,
 * percentages, ordinary numbers in speech) comes back exactly as it went in.
 */

type Case = { lang: 'en' | 'ru'; kind: string; text: string; expected: string };
const cases = corpus.cases as Case[];

describe('the PII corpus', () => {
	const count = (filter: (item: Case) => boolean) => cases.filter(filter).length;
	// The test's name carries the counts, so the run prints them (passing tests' console output is silenced).
	const summary =
		`${cases.length} cases: ${count((item) => item.lang === 'en')} en, ${count((item) => item.lang === 'ru')} ru; ` +
		`${count((item) => item.kind !== 'none')} positives, ${count((item) => item.kind === 'none')} false positives`;

	it(`has at least 60 cases in English and Russian, positives of every kind and false positives (${summary})`, () => {
		expect(cases.length).toBeGreaterThanOrEqual(60);
		for (const lang of ['en', 'ru'] as const) {
			for (const kind of ['email', 'phone', 'card', 'iban', 'address', 'url', 'none']) {
				expect(
					count((item) => item.lang === lang && item.kind === kind),
					`${lang} ${kind}`
				).toBeGreaterThan(0);
			}
		}
		for (const item of cases) {
			if (item.kind === 'none') expect(item.expected).toBe(item.text);
			else expect(item.expected).toContain(`[${item.kind}]`);
		}
	});

	it.each(cases.map((item) => [`${item.lang} ${item.kind}: ${item.text}`, item] as const))('%s', (_, item) => {
		const { text, kinds } = redactPatterns(item.text);
		expect(text).toBe(item.expected);
		expect(kinds).toEqual(item.kind === 'none' ? [] : [item.kind]);
	});
});
