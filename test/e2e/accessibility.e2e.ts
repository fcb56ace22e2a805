import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { baseUrl } from './browser';
import { test } from './fixtures';
import { axeViolations } from './helpers/axe';
import { api, completeOnboarding, turns } from './helpers/respondent';
import { joinedSocketUrl } from './helpers/join';

const VIEWPORTS = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 800 } } as const;
const SCHEMES = ['light', 'dark'] as const;

type Fixture = { cookie: string; projectId: string; interviewerId: string; recordId: string; reportId: string; liveInterviewId: string };

let fixture: Fixture;
let liveSocket: WebSocket | undefined;

async function created<T>(path: string, cookie: string, json: unknown): Promise<T> {
	const response = await api<T>(path, { cookie, json });
	expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
	return response.body;
}

/** A respondent joined over a WebSocket from Node, kept connected so the observer page has an interview to watch. */
async function startLiveInterview(linkUrl: string): Promise<string> {
	const socket = await joinFromNode(linkUrl, 'live@example.com');
	liveSocket = socket;
	return socket.interviewId;
}

/** Joins a link over a WebSocket from Node, as another device would; resolves once welcomed. */
async function joinFromNode(linkUrl: string, email: string): Promise<WebSocket & { interviewId: string }> {
	const socket = new WebSocket(await joinedSocketUrl(linkUrl, { email }));
	await new Promise((resolve, reject) => {
		socket.addEventListener('open', resolve);
		socket.addEventListener('error', reject);
	});
	const welcome = new Promise<string>((resolve) =>
		socket.addEventListener('message', (event: MessageEvent<string>) => {
			const message = JSON.parse(event.data) as { type: string; interview: string };
			if (message.type === 'welcome') resolve(message.interview);
		})
	);
	socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true }));
	return Object.assign(socket, { interviewId: await welcome });
}

/** A researcher with everything the dashboard can show: context, an interviewer, links of each kind, a record, its report, a live interview. */
async function setUpWorkspace(): Promise<Fixture> {
	const signUp = await api('/api/auth/sign-up/email', {
		json: { name: 'Ada Access', email: `a11y-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'correct-horse-battery-staple' }
	});
	const cookie = signUp.response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0] ?? '')
		.find((pair) => pair.includes('session_token='))!;
	const project = await created<{ id: string }>('/api/projects', cookie, {
		name: 'Checkout study',
		researchGoals: 'Find out where first-time buyers hesitate during checkout.',
		interviewGuide: {
			sections: [
				{ id: 's1', title: 'Warm-up', questions: [{ id: 'q1', text: 'When did you last buy something online?', probes: [] }] },
				{ id: 's2', title: 'Checkout', questions: [{ id: 'q2', text: 'Walk me through your last checkout.', probes: [] }] }
			]
		}
	});
	const interviewer = await created<{ id: string }>(`/api/projects/${project.id}/interviewers`, cookie, {
		name: 'Ava',
		durationMinutes: 3,
		topics: ['Your last purchase', 'Checkout']
	});
	const links = `/api/interviewers/${interviewer.id}/links`;
	await created(links, cookie, { kind: 'single', count: 2 });
	await created(links, cookie, { kind: 'public', name: 'Spring panel', maxUses: 3 });
	await created(links, cookie, { kind: 'private', names: ['Student group A'], maxUses: 2 });
	const cancelled = await created<{ links: { id: string }[] }>(links, cookie, { kind: 'single', count: 1 });
	await created(`/api/links/${cancelled.links[0]!.id}/cancel`, cookie, {});
	const live = await created<{ links: { url: string }[] }>(links, cookie, { kind: 'single', count: 1, durationMinutes: 10 });
	const liveInterviewId = await startLiveInterview(live.links[0]!.url);

	const form = new FormData();
	const transcript = 'Interviewer: When did you last buy something online?\nRespondent: Yesterday, a pair of shoes on my phone.\n';
	form.set('file', new File([transcript], 'call.txt', { type: 'text/plain' }));
	form.set('title', 'Phone call with Sam');
	const upload = await fetch(`${baseUrl()}/api/projects/${project.id}/records`, {
		method: 'POST',
		headers: { Origin: baseUrl(), Cookie: cookie },
		body: form
	});
	expect(upload.status, await upload.clone().text()).toBe(201);
	const record = (await upload.json()) as { id: string };
	const report = await created<{ id: string }>(`/api/records/${record.id}/reports`, cookie, {});
	for (let tries = 0; (await api<{ status: string }>(`/api/reports/${report.id}`, { cookie })).body.status !== 'ready'; tries += 1) {
		if (tries > 150) throw new Error('the report did not become ready');
		await new Promise((done) => setTimeout(done, 200));
	}
	return { cookie, projectId: project.id, interviewerId: interviewer.id, recordId: record.id, reportId: report.id, liveInterviewId };
}

/** A page in its own context with the scheme and viewport asked for; signed in as the fixture's researcher unless `anonymous`. */
async function openScanPage(
	browser: Browser,
	scheme: (typeof SCHEMES)[number],
	viewport: { width: number; height: number },
	anonymous = false
) {
	const context = await browser.newContext({ baseURL: baseUrl(), viewport, colorScheme: scheme });
	await context.grantPermissions(['microphone'], { origin: baseUrl() });
	if (!anonymous) {
		const [name, value] = fixture.cookie.split(/=(.*)/s) as [string, string];
		await context.addCookies([{ name, value, url: baseUrl() }]);
	}
	return { context, page: await context.newPage() };
}

/** Waits for the page's first heading and for every loading placeholder to be gone. */
async function ready(page: Page) {
	await page.locator('h1').first().waitFor();
	await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]:not([role="log"])'));
}

const dashboardPages = (): { name: string; path: string; waitFor?: (page: Page) => Promise<unknown> }[] => [
	{ name: 'projects list', path: '/projects' },
	{ name: 'project context', path: `/projects/${fixture.projectId}/context` },
	{ name: 'interviewers', path: `/projects/${fixture.projectId}/interviewers` },
	{
		name: 'links (active)',
		path: `/projects/${fixture.projectId}/links`,
		waitFor: (page) => page.getByRole('region', { name: 'Live now' }).getByText('live@example.com').waitFor()
	},
	{ name: 'links (archived)', path: `/projects/${fixture.projectId}/links?tab=archived` },
	{ name: 'records', path: `/projects/${fixture.projectId}/records` },
	{ name: 'record', path: `/records/${fixture.recordId}` },
	{ name: 'reports', path: `/projects/${fixture.projectId}/reports` },
	{ name: 'report', path: `/reports/${fixture.reportId}` },
	{ name: 'metrics', path: `/projects/${fixture.projectId}/metrics` },
	{
		name: 'live observer',
		path: `/projects/${fixture.projectId}/live/${fixture.liveInterviewId}`,
		waitFor: (page) => page.getByRole('status').filter({ hasText: 'Watching live' }).waitFor()
	},
	{ name: 'billing', path: '/billing' },
	{ name: 'settings', path: '/settings' },
	{ name: 'settings members', path: '/settings?tab=members' },
	{ name: 'settings API keys', path: '/settings?tab=api-keys' }
];

beforeAll(async () => {
	fixture = await setUpWorkspace();
}, 120_000);

afterAll(() => liveSocket?.close());

describe('accessibility: axe-core (WCAG 2.1 A and AA, best practices) finds nothing on any page', () => {
	for (const scheme of SCHEMES) {
		for (const [size, viewport] of Object.entries(VIEWPORTS)) {
			test(`dashboard pages, ${scheme} theme, ${size} (${viewport.width} px)`, async ({ browser }) => {
				const { context, page } = await openScanPage(browser, scheme, viewport);
				const violations: string[] = [];
				try {
					for (const each of dashboardPages()) {
						await page.goto(each.path);
						await ready(page);
						await each.waitFor?.(page);
						violations.push(...(await axeViolations(page, `${each.name} (${scheme}, ${size})`)));
					}
					await page.goto(`/projects/${fixture.projectId}/links`);
					await ready(page);
					const menu = page.getByRole('button', { name: /^More actions for / }).first();
					await menu.click();
					await page.locator(`[id="${await menu.getAttribute('aria-controls')}"]`).waitFor();
					violations.push(...(await axeViolations(page, `links row menu (${scheme}, ${size})`)));
					await page.keyboard.press('Escape');
					await page.getByRole('button', { name: 'Create links' }).first().click();
					await page.getByRole('dialog', { name: 'Create links' }).waitFor();
					violations.push(...(await axeViolations(page, `create links dialog (${scheme}, ${size})`)));
					await page.goto(`/projects/${fixture.projectId}/interviewers`);
					await ready(page);
					await page.getByRole('button', { name: 'New interviewer' }).click();
					await page.getByRole('dialog', { name: 'New interviewer' }).waitFor();
					violations.push(...(await axeViolations(page, `new interviewer dialog (${scheme}, ${size})`)));
				} finally {
					await context.close();
				}
				expect(violations, violations.join('\n')).toEqual([]);
			});

			test(`respondent page states and the signed-out pages, ${scheme} theme, ${size} (${viewport.width} px)`, async ({ browser }) => {
				const link = await created<{ links: { url: string; id: string }[] }>(
					`/api/interviewers/${fixture.interviewerId}/links`,
					fixture.cookie,
					{ kind: 'single', count: 2 }
				);
				const [fresh, toCancel] = link.links as [{ url: string; id: string }, { url: string; id: string }];
				await created(`/api/links/${toCancel.id}/cancel`, fixture.cookie, {});
				const { context, page } = await openScanPage(browser, scheme, viewport, true);
				const violations: string[] = [];
				const scanOf = (target: Page) => async (state: string) =>
					violations.push(...(await axeViolations(target, `respondent ${state} (${scheme}, ${size})`)));
				const scan = scanOf(page);
				const email = `respondent-${scheme}-${size}@example.com`;
				try {
					await page.goto(fresh.url);
					await page.getByLabel('Your email').waitFor();
					await scan('onboarding');
					await completeOnboarding(page, email, 'text');
					await scan('onboarding, text mode chosen');
					await page.getByRole('button', { name: 'Start interview' }).click();
					await turns(page, 'interviewer').first().waitFor();
					await scan('interview in text mode');

					const secondTab = await context.newPage();
					await secondTab.goto(fresh.url);
					await completeOnboarding(secondTab, email, 'text');
					await secondTab.getByRole('button', { name: 'Start interview' }).click();
					await page.getByRole('heading', { name: 'Continued in another tab' }).waitFor();
					await scan('continued in another tab');
					await page.getByRole('button', { name: 'Continue here' }).click();
					await secondTab.getByRole('heading', { name: 'Continued in another tab' }).waitFor();
					await secondTab.close();
					await turns(page, 'interviewer').first().waitFor();
					await page.getByRole('button', { name: 'Leave' }).click();
					await page.getByRole('dialog').waitFor();
					await scan('leave dialog');
					await page.getByRole('dialog').getByRole('button', { name: 'Leave interview' }).click();
					await page
						.getByRole('heading', { level: 1 })
						.filter({ hasText: /thank|ended|over/i })
						.waitFor();
					await scan('ended');
					await page.goto(toCancel.url);
					await page.getByText('This interview has been cancelled by the research team.').waitFor();
					await scan('refusal (cancelled link)');

					const panel = await created<{ links: { url: string }[] }>(`/api/interviewers/${fixture.interviewerId}/links`, fixture.cookie, {
						kind: 'public',
						maxUses: 2
					});
					const elsewhere = await joinFromNode(panel.links[0]!.url, email);
					try {
						await page.goto(panel.links[0]!.url);
						await completeOnboarding(page, email, 'text');
						await page.getByRole('button', { name: 'Start interview' }).click();
						await page.getByLabel('Code from the email').waitFor();
						await scan('rejoin code');
					} finally {
						elsewhere.close();
					}
					for (const [name, path] of [
						['sign in', '/sign-in'],
						['sign up', '/sign-up'],
						['forgot password', '/forgot-password']
					] as const) {
						await page.goto(path);
						await ready(page);
						await scan(name);
					}
				} finally {
					await context.close();
				}
				expect(violations, violations.join('\n')).toEqual([]);
			});
		}
	}
});
