import adapter from '@sveltejs/adapter-cloudflare';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({
			config: 'wrangler.web.toml',
			platformProxy: { configPath: 'wrangler.toml', remoteBindings: false }
		}),
		files: {
			src: 'web',
			routes: 'web/routes',
			lib: 'web/lib',
			assets: 'web/static',
			appTemplate: 'web/app.html',
			errorTemplate: 'web/error.html',
			hooks: { client: 'web/hooks.client', server: 'web/hooks.server', universal: 'web/hooks' },
			params: 'web/params',
			serviceWorker: 'web/service-worker'
		},
		alias: {
			$contracts: 'worker/contracts',
			// Declarations of the Worker's API emitted by `tsc -p tsconfig.api-types.json`, for type-only
			// imports: the web's type check cannot load the Worker's source (it needs the Workers runtime types).
			'$api-types': '.svelte-kit/api-types/worker/api'
		},
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// SvelteKit's route announcer carries this one fixed inline style; nothing else may.
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
