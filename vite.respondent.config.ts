// The respondent page's own build: a small Svelte entry (web/respondent/main.ts) without SvelteKit's
// router, so a respondent downloads only what the page before Start needs. It runs after `vite build`
// (SvelteKit's), writes hashed files into the assets the Worker serves (under /respondent/) and a
// manifest the Worker imports to write the page's HTML shell (worker/api/respondent-page.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** Where the adapter puts the Worker's assets; SvelteKit's build empties it first, so this build runs after. */
const ASSETS_DIR = fromRoot('./.svelte-kit/cloudflare');
const RESPONDENT_MANIFEST = fromRoot('./.svelte-kit/respondent/manifest.json');

const LOCALES = ['en', 'ru'] as const;

/**
 * The entry's script, the scripts it imports statically (to preload), its stylesheets and the chunk
 * of each language's strings (the shell preloads the one the browser most likely speaks), as absolute paths.
 */
function shellManifest(): Plugin {
	return {
		name: 'parley-respondent-manifest',
		writeBundle(_options, bundle) {
			const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
			if (!entry || entry.type !== 'chunk') throw new Error('The respondent build has no entry chunk');
			const preload = new Set<string>();
			const styles = new Set<string>(entry.viteMetadata?.importedCss ?? []);
			const visit = (fileName: string) => {
				const chunk = bundle[fileName];
				if (!chunk || chunk.type !== 'chunk' || preload.has(fileName)) return;
				preload.add(fileName);
				for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
				chunk.imports.forEach(visit);
			};
			entry.imports.forEach(visit);
			const messages = Object.fromEntries(
				LOCALES.map((locale) => {
					const chunk = Object.values(bundle).find(
						(file) => file.type === 'chunk' && file.facadeModuleId?.endsWith(`/web/lib/interview/messages-${locale}.ts`)
					);
					if (!chunk) throw new Error(`The respondent build has no chunk of the ${locale} strings`);
					return [locale, `/${chunk.fileName}`];
				})
			);
			const manifest = {
				script: `/${entry.fileName}`,
				preload: [...preload].map((file) => `/${file}`),
				styles: [...styles].map((file) => `/${file}`),
				messages
			};
			mkdirSync(dirname(RESPONDENT_MANIFEST), { recursive: true });
			writeFileSync(RESPONDENT_MANIFEST, `${JSON.stringify(manifest, null, '\t')}\n`);
		}
	};
}

export default defineConfig({
	plugins: [svelte(), shellManifest()],
	resolve: {
		alias: {
			$lib: fromRoot('./web/lib'),
			$contracts: fromRoot('./worker/contracts')
		}
	},
	publicDir: false,
	base: '/',
	build: {
		outDir: ASSETS_DIR,
		emptyOutDir: false,
		assetsDir: 'respondent',
		sourcemap: false,
		rollupOptions: { input: fromRoot('./web/respondent/main.ts') }
	}
});
