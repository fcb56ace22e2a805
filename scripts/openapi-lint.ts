// Builds the API's OpenAPI document from the app's own routes (no server needed) and lints it with Redocly's
// recommended rules (redocly.yaml). `npm test` runs it; any error or warning fails it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApi } from '../worker/api/app.ts';
import { openApiDocumentConfig } from '../worker/api/openapi-document.ts';

const ROOT = resolve(import.meta.dirname, '..');
const document = createApi().getOpenAPI31Document(openApiDocumentConfig('https://parley.example'));
// A fixed path, so .redocly.lint-ignore.yaml can name the one finding that does not apply.
const file = join(ROOT, 'test-results/openapi.json');
mkdirSync(join(ROOT, 'test-results'), { recursive: true });
writeFileSync(file, JSON.stringify(document, null, '\t'));
// `npm run openapi:report` only needs the file: it runs Redocly's full report itself.
if (process.argv.includes('--write-only')) process.exit(0);
const redocly = (format: string, stdio: 'pipe' | 'inherit') =>
	spawnSync(
		join(ROOT, 'node_modules/.bin/redocly'),
		['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--max-problems', '500', '--format', format],
		{
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', stdio, 'inherit']
		}
	);
// Redocly exits 0 on warnings; the JSON totals let warnings fail the check as well, then the readable report explains them.
const { totals } = JSON.parse(redocly('json', 'pipe').stdout) as { totals: { errors: number; warnings: number; ignored: number } };
if (totals.errors + totals.warnings > 0) {
	redocly('codeframe', 'inherit');
	process.exit(1);
}
console.log(
	`OpenAPI document: ${Object.keys(document.paths ?? {}).length} paths, no errors or warnings (${totals.ignored} ignored with a reason).`
);
