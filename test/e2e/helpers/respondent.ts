import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { baseUrl } from '../browser';

export type Researcher = { cookie: string; interviewerId: string; projectId: string };
export type CreatedLink = { id: string; url: string };

export async function api<T>(
	path: string,
	init: { method?: string; json?: unknown; cookie?: string } = {}
): Promise<{ status: number; body: T; response: Response }> {
	const headers: Record<string, string> = { Origin: baseUrl() };
	if (init.json !== undefined) headers['Content-Type'] = 'application/json';
	if (init.cookie) headers.Cookie = init.cookie;
	const response = await fetch(`${baseUrl()}${path}`, {
		method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
		headers,
		body: init.json === undefined ? undefined : JSON.stringify(init.json)
	});
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : null) as T, response };
}

/** A researcher with a project, a guide of three questions and a live interviewer, all through the public API. */
export async function createResearcher(): Promise<Researcher> {
	const email = `researcher-${crypto.randomUUID().slice(0, 8)}@example.com`;
	const signUp = await api('/api/auth/sign-up/email', {
		json: { name: 'Rita Researcher', email, password: 'correct-horse-battery-staple' }
	});
	expect(signUp.status).toBe(200);
	const cookie = signUp.response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0] ?? '')
		.find((pair) => pair.includes('session_token='));
	if (!cookie) throw new Error('sign-up set no session cookie');
	const project = await api<{ id: string }>('/api/projects', {
		cookie,
		json: {
			name: 'Evening habits',
			researchGoals: 'Understand when and where people use the app.',
			interviewGuide: {
				sections: [
					{
						id: 'usage',
						title: 'Usage',
						questions: [
							{ id: 'when', text: 'When do you usually use the app?', probes: [] },
							{ id: 'where', text: 'Where are you when you use it?', probes: [] },
							{ id: 'wish', text: 'What would you change about it?', probes: [] }
						]
					}
				]
			}
		}
	});
	expect(project.status).toBe(201);
	const interviewer = await api<{ id: string }>(`/api/projects/${project.body.id}/interviewers`, {
		cookie,
		json: { name: 'Evening habits study', durationMinutes: 10, topics: ['When you use the app', 'Where you are', 'What you would change'] }
	});
	expect(interviewer.status).toBe(201);
	return { cookie, interviewerId: interviewer.body.id, projectId: project.body.id };
}

/** One link of the researcher's interviewer: single-use unless `input` says otherwise. */
export async function createLink(
	researcher: Researcher,
	input: Record<string, unknown> = { kind: 'single', count: 1 }
): Promise<CreatedLink> {
	const created = await api<{ links: CreatedLink[] }>(`/api/interviewers/${researcher.interviewerId}/links`, {
		cookie: researcher.cookie,
		json: input
	});
	expect(created.status).toBe(201);
	const link = created.body.links[0];
	if (!link) throw new Error('no link created');
	return link;
}

/** The onboarding up to the Start button: email, consent, and the microphone or text mode. */
export async function completeOnboarding(page: Page, email: string, input: 'voice' | 'text') {
	await page.getByLabel('Your email').fill(email);
	await page.getByLabel('I agree that this conversation is recorded and transcribed by AI.').check();
	if (input === 'voice') {
		await page.getByRole('button', { name: 'Allow microphone' }).click();
		await page.getByText('The microphone is on.').waitFor();
	} else {
		await page.getByRole('button', { name: 'Continue in text mode' }).click();
		await page.getByText('Text mode: you will type your answers.').waitFor();
	}
}

export const turns = (page: Page, role: 'interviewer' | 'respondent') => page.locator(`li.turn[data-role="${role}"]`);
