// Lint rules for the whole tree: ESLint's and typescript-eslint's recommended sets, and Svelte's.
// `npm run lint` checks, `npm run fix` fixes what can be fixed (with Prettier for formatting).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default tseslint.config(
	{
		ignores: [
			'.svelte-kit/',
			'.wrangler/',
			'build/',
			'test-results/',
			'node_modules/',
			'worker-configuration.d.ts',
			'worker/db/auth-schema.ts'
		]
	},
	js.configs.recommended,
	...tseslint.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.serviceworker } },
		rules: {
			// Unused bindings are errors, except the deliberately ignored `_name` (a callback's slot, a destructured rest).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }
			],
			// The app is served from the root (no `paths.base`), so links and goto() need no resolve().
			'svelte/no-navigation-without-resolve': 'off',
			// A Set or Map in a .svelte.ts module is often plain bookkeeping (ids already spoken, a dedupe);
			// state meant to be reactive is declared with $state, which this rule cannot tell apart.
			'svelte/prefer-svelte-reactivity': 'off',
			// A string with an escape (a newline in a placeholder) needs the mustache.
			'svelte/no-useless-mustaches': ['error', { ignoreStringEscape: true }]
		}
	},
	{
		// Tests and the fakes read untyped JSON (a protocol's events, an API's answers) and check it field by field.
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{
		files: ['web/static/worklets/*.js'],
		languageOptions: {
			globals: {
				AudioWorkletProcessor: 'readonly',
				registerProcessor: 'readonly',
				sampleRate: 'readonly',
				currentTime: 'readonly',
				currentFrame: 'readonly'
			}
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig } }
	}
);
