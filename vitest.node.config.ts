import { defineConfig } from 'vitest/config';

/** Tests of the Node-side tooling (scripts/), which cannot run inside workerd. */
export default defineConfig({
	test: {
		include: ['test/node/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		silent: 'passed-only'
	}
});
