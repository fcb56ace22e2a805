import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
	const migrations = await readD1Migrations('migrations');
	return {
		plugins: [
			cloudflareTest({
				remoteBindings: false,
				wrangler: { configPath: './wrangler.toml' },
				miniflare: {
					bindings: {
						TEST_MIGRATIONS: migrations,
						BETTER_AUTH_SECRET: 'test-secret-for-workerd-tests-only-0123456789',
						OPENAI_API_KEY: '',
						STRIPE_SECRET_KEY: '',
						STRIPE_WEBHOOK_SECRET: ''
					}
				}
			})
		],
		resolve: {
			alias: [
				{
					find: /^.*\/\.svelte-kit\/cloudflare\/_worker\.js$/,
					replacement: fileURLToPath(new URL('./test/worker/stubs/sveltekit.ts', import.meta.url))
				},
				{
					// The respondent page's shell names its build's files; these tests check the shell, not the build.
					find: /^.*\/\.svelte-kit\/respondent\/manifest\.json$/,
					replacement: fileURLToPath(new URL('./test/worker/stubs/respondent-manifest.json', import.meta.url))
				}
			]
		},
		test: {
			include: ['test/worker/**/*.test.ts'],
			setupFiles: ['test/worker/setup.ts'],
			globalSetup: ['test/fakes/openai-realtime-global.ts', 'test/fakes/openai-rest-global.ts', 'test/fakes/webhook-receiver-global.ts'],
			testTimeout: 30_000,
			silent: 'passed-only' as const
		}
	};
});
