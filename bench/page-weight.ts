// The respondent page's JavaScript weight before Start: every script a real Chromium load fetches, gzipped.
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { findChromium } from '../test/e2e/chromium.ts';
import { startApp } from '../test/e2e/server.ts';
import { machine, round, writeSection, signUpResearcher } from './lib.ts';

/** The budget the page is held to: what a respondent on a slow phone downloads before the call starts. */
const BUDGET_KB = 40;

const GUIDE = { sections: [{ id: 's1', title: 'Warm-up', questions: [{ id: 'q1', text: 'Tell me about your role.', probes: [] }] }] };

/** A researcher's single-use link through the API, as the dashboard makes one. */
async function createLink(url: string): Promise<string> {
	const json = { 'Content-Type': 'application/json', Origin: url };
	const cookie = await signUpResearcher(url, 'page');
	const post = async <T>(path: string, body: unknown): Promise<T> => {
		const response = await fetch(`${url}${path}`, { method: 'POST', headers: { ...json, Cookie: cookie }, body: JSON.stringify(body) });
		if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	};
	const project = await post<{ id: string }>('/api/projects', {
		name: 'Page weight',
		researchGoals: 'Measure the page.',
		interviewGuide: GUIDE
	});
	const interviewer = await post<{ id: string }>(`/api/projects/${project.id}/interviewers`, { name: 'Bench' });
	const { links } = await post<{ links: Array<{ token: string }> }>(`/api/interviewers/${interviewer.id}/links`, {
		kind: 'single',
		count: 1
	});
	return links[0]!.token;
}

type Script = { path: string; bytes: number; gzipped: number };

const chromiumPath = findChromium();
if (!chromiumPath) throw new Error('Chromium not found: install Debian chromium or set CHROMIUM_PATH');
const app = await startApp();
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
	const token = await createLink(app.url);
	const page = await browser.newPage();
	const scripts: Script[] = [];
	const pending: Promise<void>[] = [];
	page.on('response', (response) => {
		const type = response.request().resourceType();
		const contentType = response.headers()['content-type'] ?? '';
		if (type !== 'script' && !contentType.includes('javascript')) return;
		pending.push(
			response.body().then((body) => {
				scripts.push({ path: new URL(response.url()).pathname, bytes: body.byteLength, gzipped: gzipSync(body, { level: 9 }).byteLength });
			})
		);
	});
	await page.goto(`${app.url}/interview/${token}`, { waitUntil: 'networkidle' });
	await page.locator('form.start').waitFor();
	await Promise.all(pending);

	const total = scripts.reduce((sum, script) => sum + script.gzipped, 0) / 1024;
	const raw = scripts.reduce((sum, script) => sum + script.bytes, 0) / 1024;
	const rows = [...scripts]
		.sort((a, b) => b.gzipped - a.gzipped)
		.map((script) => `| \`${script.path}\` | ${round(script.bytes / 1024, 1)} | ${round(script.gzipped / 1024, 1)} |`);
	const verdict = total <= BUDGET_KB ? `within the ${BUDGET_KB} KB budget` : `over the ${BUDGET_KB} KB budget`;
	const summary = `${scripts.length} scripts, ${round(raw, 1)} KB raw, **${round(total, 1)} KB gzipped** (${verdict})`;
	console.log(summary);
	writeSection(
		'page-weight',
		`## The respondent page's JavaScript before Start\n\nMethod: \`npm run bench:page\` builds the app, starts \`wrangler dev --local\` with fresh state, creates a single-use link through the API and opens \`/interview/<token>\` in headless Debian Chromium, waiting for the network to go idle and the onboarding form to show: the state a respondent is in before pressing Start. Every JavaScript response the page fetched is counted; its gzipped size is measured by compressing the body the browser received with gzip level 9, since \`wrangler dev\` serves assets uncompressed (Cloudflare compresses them in production, with gzip or Brotli). Machine: ${machine()}.\n\n${summary}.\n\n| file | raw KB | gzipped KB |\n|---|---|---|\n${rows.join('\n')}`
	);
} finally {
	await browser.close();
	await app.stop();
}
