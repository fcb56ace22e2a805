// The layout's two rules, checked on every `npm test`:
//  1. code outside a domain folder imports that domain only through its index.ts (its public face);
//  2. no import cycle among the Worker's and the Durable Object's modules (type-only imports aside).
// Domains are the folders of worker/services, the provider folders of worker/ai, and durable-objects.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCES = ['worker', 'durable-objects', 'web', 'scripts', 'bench'];
const CYCLE_ROOTS = ['worker/', 'durable-objects/'];

function listFiles(dir: string): string[] {
	const full = join(ROOT, dir);
	if (!existsSync(full)) return [];
	return readdirSync(full).flatMap((name) => {
		const path = join(dir, name);
		if (name === 'node_modules' || name.startsWith('.')) return [];
		if (statSync(join(ROOT, path)).isDirectory()) return listFiles(path);
		return /\.(ts|svelte|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

const domains = [
	...readdirSync(join(ROOT, 'worker/services')).map((name) => `worker/services/${name}/`),
	...['local', 'openai-realtime', 'workers-ai'].map((name) => `worker/ai/${name}/`),
	'durable-objects/'
].filter((folder) => statSync(join(ROOT, folder)).isDirectory());

const domainOf = (file: string) => domains.find((domain) => file.startsWith(domain)) ?? null;

type Edge = { from: string; to: string; typeOnly: boolean };

const IMPORT =
	/(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function resolveImport(from: string, specifier: string): string | null {
	const base = join(dirname(from), specifier);
	for (const candidate of [base, `${base}.ts`, `${base}/index.ts`, `${base}.js`]) {
		if (existsSync(join(ROOT, candidate)) && statSync(join(ROOT, candidate)).isFile()) return candidate;
	}
	return null;
}

function edgesOf(file: string): Edge[] {
	const source = readFileSync(join(ROOT, file), 'utf8');
	const edges: Edge[] = [];
	for (const match of source.matchAll(IMPORT)) {
		const specifier = match[3] ?? match[4]!;
		const to = resolveImport(file, specifier);
		if (to) edges.push({ from: file, to, typeOnly: match[2] !== undefined });
	}
	return edges;
}

const files = SOURCES.flatMap(listFiles);
const edges = files.flatMap(edgesOf);
const problems: string[] = [];

for (const edge of edges) {
	const target = domainOf(edge.to);
	if (target && domainOf(edge.from) !== target && edge.to !== `${target}index.ts`) {
		problems.push(`${edge.from} imports ${edge.to}: outside ${target} import its index.ts`);
	}
}

const graph = new Map<string, string[]>();
for (const edge of edges) {
	const inside = (file: string) => CYCLE_ROOTS.some((root) => file.startsWith(root));
	if (edge.typeOnly || !inside(edge.from) || !inside(edge.to)) continue;
	graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
}
const state = new Map<string, 'open' | 'done'>();
const stack: string[] = [];
function visit(file: string): void {
	state.set(file, 'open');
	stack.push(file);
	for (const next of graph.get(file) ?? []) {
		if (state.get(next) === 'open')
			problems.push(
				`import cycle: ${[...stack.slice(stack.indexOf(next)), next].map((each) => relative(ROOT, join(ROOT, each))).join(' → ')}`
			);
		else if (!state.has(next)) visit(next);
	}
	stack.pop();
	state.set(file, 'done');
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (problems.length > 0) {
	console.error(`Import rules broken (${problems.length}):\n${problems.map((problem) => `  ✖ ${problem}`).join('\n')}`);
	process.exit(1);
}
console.log(`Imports: ${files.length} files, ${domains.length} domains entered only through their index.ts, no cycles.`);
