// `npm run smoke`: a scripted one-minute interview against the REAL AI provider configured in
// .dev.vars (an OpenAI key, or AI_PROVIDER=workers-ai after `wrangler login`), to check a
// deployment's AI before links go out. It starts the app with `wrangler dev`, plays the speech
// fixtures as the respondent in real time and prints a checklist with figures. Without
// credentials it stops at once and says what to set; it never runs in CI (nor in `npm test`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApp } from '../test/e2e/server.ts';
import { exitCodeOf, renderChecklist } from './smoke/checklist.ts';
import { runSmoke } from './smoke/run.ts';
import { parseDevVars, smokeSettings, wranglerLoggedIn } from './smoke/settings.ts';

const ROOT = resolve(import.meta.dirname, '..');
const devVarsPath = resolve(ROOT, '.dev.vars');
const devVars = existsSync(devVarsPath) ? parseDevVars(readFileSync(devVarsPath, 'utf8')) : {};
const settings = smokeSettings(process.env, devVars, wranglerLoggedIn(process.env));
if (!settings.ok) {
	console.error(settings.message);
	process.exit(2);
}

console.log(`Smoke test against ${settings.provider}: building and starting the app…`);
const started = performance.now();
// SvelteKit's build first: it empties the assets directory the respondent page's build writes into.
for (const config of ['vite.config.ts', 'vite.respondent.config.ts']) {
	const build = spawnSync(resolve(ROOT, 'node_modules/.bin/vite'), ['build', '--config', config, '--logLevel', 'warn'], {
		cwd: ROOT,
		stdio: 'inherit'
	});
	if (build.status !== 0) process.exit(build.status ?? 1);
}
// Only the provider choice goes on wrangler's command line; keys stay in .dev.vars, where wrangler reads them.
const app = await startApp({ AI_PROVIDER: settings.provider });
let code = 1;
try {
	console.log(`App at ${app.url}; interviewing…`);
	const checks = await runSmoke(app, settings.provider);
	console.log(
		`\n${renderChecklist(`Smoke test against ${settings.provider} (${Math.round((performance.now() - started) / 1000)} s):`, checks)}`
	);
	code = exitCodeOf(checks);
} catch (error) {
	console.error(`The smoke test could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
	await app.stop();
}
process.exit(code);
