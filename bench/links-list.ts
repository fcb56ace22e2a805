// The first page of an interviewer's links with 10,000 links next to the same page with 50, through `wrangler dev --local`.
import { startApp } from '../test/e2e/server.ts';
import { machine, percentile, round, signUpResearcher, writeSection } from './lib.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const LARGE = 10_000;
const SMALL = 50;
const BATCH = 500;
const GUIDE = { sections: [{ id: 's1', title: 'Warm-up', questions: [{ id: 'q1', text: 'Tell me about your role.', probes: [] }] }] };

const app = await startApp({ SIGNUP_TOKENS: '1000000' });
try {
	const cookie = await signUpResearcher(app.url, 'links-list');
	const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await fetch(`${app.url}${path}`, {
			method,
			headers: { 'Content-Type': 'application/json', Origin: app.url, Cookie: cookie },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	};
	const project = await api<{ id: string }>('POST', '/api/projects', {
		name: 'Links list bench',
		researchGoals: 'Time the links list.',
		interviewGuide: GUIDE
	});
	const interviewerWith = async (links: number) => {
		const interviewer = await api<{ id: string }>('POST', `/api/projects/${project.id}/interviewers`, { name: `${links} links` });
		for (let made = 0; made < links; made += BATCH) {
			await api('POST', `/api/interviewers/${interviewer.id}/links`, {
				kind: 'single',
				count: Math.min(BATCH, links - made),
				durationMinutes: 1
			});
		}
		return interviewer.id;
	};
	const small = await interviewerWith(SMALL);
	const large = await interviewerWith(LARGE);

	/** Times REQUESTS first-page reads, alternating the two interviewers so both see the same machine load. */
	const samples = new Map<string, number[]>([
		[small, []],
		[large, []]
	]);
	const firstPage = async (interviewerId: string) => {
		const begin = performance.now();
		const page = await api<{ links: unknown[]; nextCursor: string | null }>('GET', `/api/interviewers/${interviewerId}/links?tab=active`);
		const elapsed = performance.now() - begin;
		if (page.links.length !== SMALL) throw new Error(`the first page held ${page.links.length} links`);
		return elapsed;
	};
	for (let warm = 0; warm < 20; warm += 1) await firstPage(warm % 2 ? small : large);
	for (let index = 0; index < REQUESTS; index += 1) {
		const interviewerId = index % 2 ? small : large;
		samples.get(interviewerId)!.push(await firstPage(interviewerId));
	}
	const stats = (interviewerId: string) => {
		const sorted = [...samples.get(interviewerId)!].sort((a, b) => a - b);
		return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
	};
	const [of50, of10k] = [stats(small), stats(large)];
	const table = [
		'| interviewer | links | first page (50 rows) p50 ms | p99 ms | p50 vs 50 links |',
		'|---|---|---|---|---|',
		`| small | ${SMALL} | ${round(of50.p50)} | ${round(of50.p99)} | 1× |`,
		`| large | ${LARGE.toLocaleString('en')} | ${round(of10k.p50)} | ${round(of10k.p99)} | ${round(of10k.p50 / of50.p50)}× |`
	].join('\n');
	console.log(table);
	writeSection(
		'links-list',
		`## An interviewer's links list with 10,000 links\n\nMethod: \`npm run bench:links\` builds the app, starts \`wrangler dev --local\` with fresh state, signs up one researcher, creates one interviewer with ${SMALL} single-use links and one with ${LARGE.toLocaleString('en')} (${BATCH} a request), warms up, then reads the first page of each interviewer's Active tab (\`GET /api/interviewers/:id/links\`, default limit ${SMALL}) ${REQUESTS / 2} times each, alternating, one request at a time from one Node client on loopback. Latency is client-side wall time per request; the ratio compares the two p50s of the same run. Machine: ${machine()}.\n\n${table}`
	);
} finally {
	await app.stop();
}
