// The whole test suite: format, lint, unused code, import rules, type checks, the Workers-runtime tests, the build and
// bundle check, tooling tests and browser e2e. Run it with `npm test`; npm puts the project's
// Node 22 first on PATH. Each stage prints its duration; the summary lists them all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_INSTALL_COMMAND, findChromium } from '../test/e2e/chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'test-results');
const bin = (name) => join(ROOT, 'node_modules/.bin', name);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
	console.error(`Node ${process.versions.node} is too old: run the suite with \`npm test\`, which uses the project's Node 22.`);
	process.exit(1);
}

if (!findChromium()) {
	console.error(`Chromium is not installed, so the browser tests cannot run. Install it with:\n\n  ${CHROMIUM_INSTALL_COMMAND}\n`);
	process.exit(1);
}

const timings = [];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function step(title, command, args) {
	console.log(`\n▶ ${title}`);
	const started = performance.now();
	const result = spawnSync(command, args, {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' }
	});
	const elapsed = performance.now() - started;
	timings.push([title, elapsed]);
	const ok = result.status === 0;
	console.log(`${ok ? '✔' : '✖'} ${title} ${ok ? 'passed' : `failed (exit ${result.status ?? result.signal})`} in ${seconds(elapsed)}`);
	return ok;
}

function vitestCounts(file) {
	if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
	const report = JSON.parse(readFileSync(file, 'utf8'));
	const setupFailed = !report.success && report.numFailedTests === 0 ? 1 : 0;
	return {
		passed: report.numPassedTests,
		failed: report.numFailedTests + setupFailed,
		skipped: report.numPendingTests + report.numTodoTests
	};
}

function summary() {
	const total = timings.reduce((sum, [, ms]) => sum + ms, 0);
	console.log(
		`\nStages:\n${timings.map(([title, ms]) => `  ${seconds(ms).padStart(8)}  ${title}`).join('\n')}\n  ${seconds(total).padStart(8)}  in all`
	);
}

const checks = [
	['Sync SvelteKit types', bin('svelte-kit'), ['sync']],
	// Generated declarations that web/ imports ($api-types); later stages read them.
	["The API's types for the web's typed client (tsc declarations)", bin('tsc'), ['-p', 'tsconfig.api-types.json']],
	['Format (prettier --check; npm run fix formats)', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
	['Lint (eslint)', bin('eslint'), ['.']],
	['Unused files, exports and dependencies (knip)', bin('knip'), []],
	['Import rules: domains through their index.ts, no cycles', process.execPath, ['scripts/check-imports.ts']],
	["The OpenAPI document passes Redocly's recommended rules", bin('tsx'), ['scripts/openapi-lint.ts']],
	['Type check: worker and Durable Objects (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.worker.json']],
	['Type check: tooling and e2e (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']],
	['Type check: web (svelte-check)', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']]
];
const build = [
	['Build the web app (vite build)', bin('vite'), ['build', '--logLevel', 'warn']],
	// After SvelteKit's build, which empties the assets directory this one writes into.
	[
		"Build the respondent page's own entry (vite build)",
		bin('vite'),
		['build', '--config', 'vite.respondent.config.ts', '--logLevel', 'warn']
	],
	['Bundle check (wrangler deploy --dry-run)', bin('wrangler'), ['deploy', '--dry-run', '--outdir', '.wrangler/dry-run']]
];
const suite = (title, config, report) => ({ title, config, report });
const WORKERD = suite('Workers-runtime tests (vitest in workerd)', 'vitest.config.ts', 'worker.json');
const NODE = suite('Tooling tests (vitest in Node)', 'vitest.node.config.ts', 'node.json');
const E2E = suite('Browser e2e tests (playwright-core + Chromium)', 'vitest.e2e.config.ts', 'e2e.json');

const totals = { passed: 0, failed: 0, skipped: 0 };
function runSuite({ title, config, report }) {
	const output = join(RESULTS, report);
	step(title, bin('vitest'), ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`]);
	const counts = vitestCounts(output);
	console.log(`  ${title}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
	for (const key of Object.keys(totals)) totals[key] += counts[key];
}

function stopIfFailed(stages) {
	for (const [title, command, args] of stages) {
		if (!step(title, command, args)) {
			summary();
			console.log('\n0 passed, 1 failed');
			process.exit(1);
		}
	}
}

mkdirSync(RESULTS, { recursive: true });
stopIfFailed(checks);
// The workerd suite needs no build: the SvelteKit worker is stubbed there (pages are the e2e suite's).
runSuite(WORKERD);
stopIfFailed(build);
runSuite(NODE);
runSuite(E2E);

summary();
console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
