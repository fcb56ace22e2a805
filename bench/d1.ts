// D1 statements and round trips per action, counted inside the app's own Worker (bench/workers/d1-counting.ts).
import { createRequire } from 'node:module';
import { startApp } from '../test/e2e/server.ts';
import { machine, writeSection, signUpResearcher } from './lib.ts';

type Tally = {
	roundTrips: number;
	statements: number;
	reads: number;
	writes: number;
	replicaReads: number;
	tables: Record<string, number>;
};
type WsLike = {
	on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
	on(event: 'open' | 'error', listener: (error?: unknown) => void): void;
	send(data: string): void;
	close(): void;
};
// `ws` sends the Origin header the interview socket checks; Node's own WebSocket cannot.
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, options: { headers: Record<string, string> }) => WsLike;

const GUIDE = { sections: [{ id: 's1', title: 'Warm-up', questions: [{ id: 'q1', text: 'Tell me about your role.', probes: [] }] }] };
/** How long the tally must stay unchanged before an action counts as done: work a request starts may finish after it answers. */
const QUIET_MS = 1_500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const app = await startApp({ SIGNUP_TOKENS: '1000000' }, { script: 'bench/workers/d1-counting.ts' });
const json = { 'Content-Type': 'application/json', Origin: app.url };

async function tally(reset = false): Promise<Tally> {
	const response = await fetch(`${app.url}/__bench/d1`, { method: reset ? 'POST' : 'GET' });
	return (await response.json()) as Tally;
}

/** Waits until the tally has not moved for QUIET_MS, then answers it. */
async function settled(): Promise<Tally> {
	let last = JSON.stringify(await tally());
	let quietSince = performance.now();
	for (;;) {
		await sleep(250);
		const now = JSON.stringify(await tally());
		if (now !== last) [last, quietSince] = [now, performance.now()];
		else if (performance.now() - quietSince >= QUIET_MS) return JSON.parse(now) as Tally;
	}
}

async function measure(action: () => Promise<unknown>): Promise<Tally> {
	await settled();
	await tally(true);
	await action();
	return settled();
}

const cookie = await signUpResearcher(app.url, 'd1');
const headers = { ...json, Cookie: cookie };

/** The D1 bookmark cookie, carried from one call to the next as the dashboard's browser does. */
let bookmark = '';

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${app.url}${path}`, {
		method,
		headers: { ...headers, Cookie: [cookie, bookmark].filter(Boolean).join('; ') },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	bookmark =
		response.headers
			.getSetCookie()
			.map((line) => line.split(';')[0]!)
			.find((line) => line.startsWith('parley_d1_bookmark=')) ?? bookmark;
	if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

/** A respondent's socket: hello, then the first frame of `type`. */
async function respondent(
	token: string
): Promise<{ waitFor: (type: string) => Promise<void>; send: (message: unknown) => void; close: () => void }> {
	const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/ws/interview/${token}`, { headers: { Origin: app.url } });
	const seen: string[] = [];
	socket.on('message', (data, isBinary) => {
		if (!isBinary) seen.push((JSON.parse(data.toString()) as { type: string }).type);
	});
	await new Promise<void>((resolve, reject) => {
		socket.on('open', () => resolve());
		socket.on('error', reject);
	});
	return {
		waitFor: async (type) => {
			for (let waited = 0; !seen.includes(type); waited += 50) {
				if (waited > 30_000) throw new Error(`no ${type} frame; got ${seen.join(', ')}`);
				if (seen.includes('error')) throw new Error(`the socket answered an error while waiting for ${type}`);
				await sleep(50);
			}
		},
		send: (message) => socket.send(JSON.stringify(message)),
		close: () => socket.close()
	};
}

try {
	const project = await api<{ id: string }>('POST', '/api/projects', {
		name: 'D1 bench',
		researchGoals: 'Count statements.',
		interviewGuide: GUIDE
	});
	const interviewer = await api<{ id: string }>('POST', `/api/projects/${project.id}/interviewers`, { name: 'Bench' });
	const rows: Array<{ action: string; tally: Tally; per?: number }> = [];
	const createLinks = (body: Record<string, unknown>) =>
		api<{ links: Array<{ token: string }> }>('POST', `/api/interviewers/${interviewer.id}/links`, body);

	for (const count of [1, 10, 100]) {
		rows.push({
			action: `create ${count} single-use link${count > 1 ? 's' : ''}`,
			tally: await measure(() => createLinks({ kind: 'single', count })),
			per: count
		});
	}
	const [single] = (await createLinks({ kind: 'single', count: 1 })).links;
	const [multi] = (await createLinks({ kind: 'public', maxUses: 0 })).links;

	for (const [label, link] of [
		['single-use link', single!],
		['public link', multi!]
	] as const) {
		const socket = await respondent(link.token);
		rows.push({
			action: `admit a join (${label}), until welcome`,
			tally: await measure(async () => {
				socket.send({ type: 'hello', protocol: 1, email: `respondent-${crypto.randomUUID().slice(0, 8)}@example.com`, consent: true });
				await socket.waitFor('welcome');
			})
		});
		rows.push({
			action: `finalise the interview (${label}): leave → record, coverage, charge`,
			tally: await measure(async () => {
				socket.send({ type: 'leave' });
				await socket.waitFor('ended');
			})
		});
		socket.close();
	}

	const { records } = await api<{ records: Array<{ id: string }> }>('GET', `/api/projects/${project.id}/records`);
	if (records.length === 0) throw new Error('no record after the interviews ended');
	let reportId = '';
	rows.push({
		action: 'generate a report on one record (request + queued job, local generator)',
		tally: await measure(async () => {
			reportId = (await api<{ id: string }>('POST', `/api/records/${records[0]!.id}/reports`, {})).id;
		})
	});
	const report = await api<{ status: string }>('GET', `/api/reports/${reportId}`);
	if (report.status !== 'ready' && report.status !== 'done' && report.status !== 'completed')
		throw new Error(`report ended ${report.status}`);

	for (const path of [
		'/api/me',
		`/api/projects`,
		`/api/interviewers/${interviewer.id}/links?tab=active`,
		`/api/projects/${project.id}/records`
	]) {
		rows.push({
			action: `dashboard read: GET ${path.replace(project.id, ':projectId').replace(interviewer.id, ':interviewerId')}`,
			tally: await measure(() => api('GET', path))
		});
	}

	const tables = (entry: Tally) =>
		Object.entries(entry.tables)
			.sort((a, b) => b[1] - a[1])
			.map(([table, count]) => `${table} ${count}`)
			.join(', ');
	const table = [
		'| action | round trips | statements | reads | writes | reads a replica may serve | statements by table |',
		'|---|---|---|---|---|---|---|',
		...rows.map(
			({ action, tally: entry, per }) =>
				`| ${action} | ${entry.roundTrips} | ${entry.statements}${per && per > 1 ? ` (${Math.round((entry.statements / per) * 10) / 10} per link)` : ''} | ${entry.reads} | ${entry.writes} | ${entry.replicaReads} | ${tables(entry)} |`
		)
	].join('\n');
	console.log(table);
	writeSection(
		'd1',
		`## D1 statements and round trips per action\n\nMethod: \`npm run bench:d1\` builds the app and runs it under \`wrangler dev --local\` through \`bench/workers/d1-counting.ts\`, an entry that wraps the real Worker and Interview object and counts every request workerd's D1 binding sends (a round trip: one \`run/all/first/raw\`, or one \`batch\` of several statements). Production code does not load it. Each action starts from a quiet tally and is counted until the tally has not moved for ${QUIET_MS / 1000} s, so work a request leaves behind (the Durable Object's writes after \`ended\`, the queued report job, API-key touches) is included. Interviews use the offline \`local\` provider and end at once; a longer interview adds no D1 statements while it runs (turns and audio live in the Durable Object). A read counts as one a replica may serve when its session already holds a bookmark; everything else goes to the primary. Machine: ${machine()}.\n\n${table}`
	);
} finally {
	await app.stop();
}
