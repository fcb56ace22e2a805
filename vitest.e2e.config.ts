import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/e2e/**/*.e2e.ts'],
		globalSetup: ['test/e2e/global-setup.ts'],
		testTimeout: 90_000,
		silent: 'passed-only',
		hookTimeout: 120_000,
		fileParallelism: false
	}
});
