import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, exitCodeOf, renderChecklist, skipped, wordsCheck } from '../../scripts/smoke/checklist.ts';
import { IN_CI, NO_KEYS, parseDevVars, smokeSettings } from '../../scripts/smoke/settings.ts';
import { wordErrorRate, words } from '../../scripts/smoke/wer.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('word error rate', () => {
	it('compares words only: case, punctuation and ё do not count', () => {
		expect(words('Mostly I use it on my phone, in the evening.')).toEqual([
			'mostly',
			'i',
			'use',
			'it',
			'on',
			'my',
			'phone',
			'in',
			'the',
			'evening'
		]);
		expect(words("It's — «ёлка», don't!")).toEqual(["it's", 'елка', "don't"]);
		expect(wordErrorRate('Я пользуюсь приложением каждый день.', 'я пользуюсь приложением, каждый день').wer).toBe(0);
		expect(wordErrorRate('Ещё раз', 'еще раз').wer).toBe(0);
	});

	it('counts substitutions, deletions and insertions against the spoken words', () => {
		const reference = 'mostly I use it on my phone in the evening';
		expect(wordErrorRate(reference, 'mostly I use it on my phone in the morning')).toMatchObject({
			wer: 0.1,
			recall: 0.9,
			substitutions: 1,
			referenceWords: 10
		});
		expect(wordErrorRate(reference, 'mostly use it on my phone')).toMatchObject({ deletions: 4, wer: 0.4, recall: 0.6 });
		expect(wordErrorRate(reference, 'so mostly I use it on my phone in the evening you know')).toMatchObject({
			insertions: 3,
			wer: 0.3,
			recall: 1
		});
		expect(wordErrorRate(reference, '')).toMatchObject({ wer: 1, recall: 0, deletions: 10 });
		expect(wordErrorRate('', '')).toMatchObject({ wer: 0, recall: 1 });
	});
});

describe('checklist', () => {
	it('passes an answer with at least 80 % of its words heard, and prints the figures', () => {
		const reference = 'one two three four five six seven eight nine ten';
		expect(wordsCheck('English', wordErrorRate(reference, 'one two three four five six seven eight'), 'one … eight')).toEqual({
			label: 'English',
			status: 'pass',
			figure: '80 % of 10 words, WER 20 %: "one … eight"'
		});
		expect(wordsCheck('English', wordErrorRate(reference, 'one two three four five six seven'), 'x').status).toBe('fail');
		expect(wordsCheck('English', null, null)).toMatchObject({ status: 'fail', figure: 'no transcript of the answer arrived' });
	});

	it('fails the run on any failed check, not on a skipped one', () => {
		const checks = [check('First audio', true, '820 ms'), skipped('Russian', 'English only')];
		expect(exitCodeOf(checks)).toBe(0);
		expect(renderChecklist('Smoke test:', checks)).toBe(
			'Smoke test:\n  ✔ First audio — 820 ms\n  – Russian — English only\n\n  all checks passed'
		);
		const failing = [...checks, check('One report written', false, 'no report settled within 4 minutes')];
		expect(exitCodeOf(failing)).toBe(1);
		expect(renderChecklist('Smoke test:', failing)).toContain(
			'✖ One report written — no report settled within 4 minutes\n\n  1 of 3 checks failed'
		);
	});
});

describe('settings', () => {
	it('reads .dev.vars as wrangler does', () => {
		const text =
			'# secrets\nOPENAI_API_KEY=sk-abc\nexport AI_PROVIDER="workers-ai"\nEMPTY=\nNOTE=plain value # a comment\nQUOTED=\'a # b\'\n';
		expect(parseDevVars(text)).toEqual({
			OPENAI_API_KEY: 'sk-abc',
			AI_PROVIDER: 'workers-ai',
			EMPTY: '',
			NOTE: 'plain value',
			QUOTED: 'a # b'
		});
	});

	it('picks the provider from .dev.vars, or says what to set', () => {
		expect(smokeSettings({}, {}, false)).toEqual({ ok: false, message: NO_KEYS });
		expect(smokeSettings({ OPENAI_API_KEY: 'sk-only-in-the-shell' }, {}, false)).toEqual({ ok: false, message: NO_KEYS });
		expect(smokeSettings({}, { OPENAI_API_KEY: 'sk-x' }, false)).toEqual({ ok: true, provider: 'openai' });
		expect(smokeSettings({}, { AI_PROVIDER: 'workers-ai' }, true)).toEqual({ ok: true, provider: 'workers-ai' });
		expect(smokeSettings({}, { AI_PROVIDER: 'workers-ai' }, false)).toMatchObject({
			ok: false,
			message: expect.stringContaining('wrangler login')
		});
		expect(smokeSettings({}, { AI_PROVIDER: 'bedrock', OPENAI_API_KEY: 'sk-x' }, true)).toMatchObject({ ok: false });
		expect(smokeSettings({ CI: 'true' }, { OPENAI_API_KEY: 'sk-x' }, true)).toEqual({ ok: false, message: IN_CI });
	});
});

/** Whether this checkout holds real credentials: then running the smoke test for real is not this suite's call. */
const localCredentials = (() => {
	const path = resolve(ROOT, '.dev.vars');
	if (!existsSync(path)) return false;
	const vars = parseDevVars(readFileSync(path, 'utf8'));
	return Boolean(vars.OPENAI_API_KEY?.trim()) || vars.AI_PROVIDER === 'workers-ai';
})();

function runSmoke(env: Record<string, string>) {
	const started = performance.now();
	const result = spawnSync(process.execPath, ['scripts/smoke.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
	return { ...result, ms: performance.now() - started };
}

describe('npm run smoke', () => {
	it.skipIf(localCredentials)('refuses at once with an empty environment, saying what to set', () => {
		const result = runSmoke({});
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('OPENAI_API_KEY=sk-…');
		expect(result.stderr).toContain('npx wrangler login');
		expect(result.stdout).toBe('');
		expect(result.ms).toBeLessThan(10_000);
	});

	it('refuses in CI, keys or not', () => {
		const result = runSmoke({ CI: 'true' });
		expect(result.status).toBe(2);
		expect(result.stderr.trim()).toBe(IN_CI);
		expect(result.stdout).toBe('');
	});
});
