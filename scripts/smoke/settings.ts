import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * What the smoke test runs against, read from where `wrangler dev` reads it (`.dev.vars` in the
 * project root; a key only in the shell's environment would never reach the Worker), or why it
 * cannot run. It never runs in CI: it costs money and needs keys a CI runner must not hold.
 */

export type SmokeProvider = 'openai' | 'workers-ai';
export type SmokeSettings = { ok: true; provider: SmokeProvider } | { ok: false; message: string };

/** KEY=value lines of a .dev.vars file (quotes stripped, comments and blank lines skipped). */
export function parseDevVars(text: string): Record<string, string> {
	const vars: Record<string, string> = {};
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
		if (!match || line.trimStart().startsWith('#')) continue;
		const quoted = /^(['"])(.*)\1$/.exec(match[2]!);
		vars[match[1]!] = quoted ? quoted[2]! : match[2]!.replace(/\s+#.*$/, '');
	}
	return vars;
}

export const NO_KEYS =
	'The smoke test talks to a real AI provider and needs its credentials in .dev.vars (never committed):\n' +
	'  OpenAI:     OPENAI_API_KEY=sk-… (and AI_PROVIDER=openai, the default when a key is set)\n' +
	'  Workers AI: AI_PROVIDER=workers-ai, after `npx wrangler login` (or with CLOUDFLARE_API_TOKEN set)\n' +
	'Then run `npm run smoke` again.';

export const IN_CI = 'The smoke test talks to a real AI provider, costs money and needs real keys: it never runs in CI.';

/** Whether wrangler has a Cloudflare login to reach the remote AI binding with: an API token, or its OAuth file. */
export function wranglerLoggedIn(environment: Record<string, string | undefined>): boolean {
	if (environment.CLOUDFLARE_API_TOKEN) return true;
	const home = environment.HOME ?? homedir();
	const config = environment.XDG_CONFIG_HOME ?? join(home, '.config');
	return [join(config, '.wrangler/config/default.toml'), join(home, '.wrangler/config/default.toml')].some((path) => existsSync(path));
}

export function smokeSettings(
	environment: Record<string, string | undefined>,
	devVars: Record<string, string>,
	loggedIn: boolean
): SmokeSettings {
	if (environment.CI) return { ok: false, message: IN_CI };
	const value = (name: string) => (devVars[name] ?? '').trim();
	const provider = value('AI_PROVIDER');
	if (provider === 'workers-ai') {
		if (!loggedIn) return { ok: false, message: `AI_PROVIDER is workers-ai but wrangler has no Cloudflare login.\n${NO_KEYS}` };
		return { ok: true, provider: 'workers-ai' };
	}
	if (provider && provider !== 'openai' && provider !== 'local')
		return { ok: false, message: `Unknown AI_PROVIDER "${provider}".\n${NO_KEYS}` };
	if (!value('OPENAI_API_KEY')) return { ok: false, message: NO_KEYS };
	return { ok: true, provider: 'openai' };
}
