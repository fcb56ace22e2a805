import type { Page } from 'playwright-core';
import { apiRequest } from './accounts';

/** A project with Research Goals and an Interview Guide, so links can be created for it. */
export async function createReadyProject(page: Page, name = 'Checkout usability study'): Promise<string> {
	const project = await apiRequest<{ id: string }>(page, 'POST', '/api/projects', {
		name,
		researchGoals: 'Find out where first-time buyers hesitate during checkout.',
		interviewGuide: {
			sections: [
				{
					id: 's1',
					title: 'Warm-up',
					questions: [{ id: 'q1', text: 'When did you last buy something online?', probes: ['What was it?'] }]
				},
				{ id: 's2', title: 'Checkout', questions: [{ id: 'q2', text: 'Walk me through your last checkout.', probes: [] }] }
			]
		}
	});
	return project.id;
}

/** The accessible name of the top-bar balance chip, e.g. "Token balance: 45 available 75 reserved". */
export async function topBarBalance(page: Page): Promise<{ available: number; reserved: number }> {
	const text = (await page.locator('header a[href="/billing"][title]').innerText()).replace(/[\s,]+/g, ' ');
	const available = /(\d+) available/.exec(text)?.[1];
	const reserved = /(\d+) reserved/.exec(text)?.[1];
	return { available: Number(available), reserved: Number(reserved) };
}

const ONBOARDING_QUESTIONS = [
	{ id: 'q1', text: 'What is your role?', probes: [] },
	{ id: 'q2', text: 'Which tools do you use every day?', probes: [] },
	{ id: 'q3', text: 'How did your first week go?', probes: [] }
];

/** A one-section guide of the first `questions` onboarding questions; the local interviewer asks them in order. */
export const onboardingGuide = (questions: 2 | 3 = 2) => ({
	sections: [{ id: 's1', title: 'Background', questions: ONBOARDING_QUESTIONS.slice(0, questions) }]
});

/** A project on the onboarding guide with a 10-minute interviewer and `count` single-use links. */
export async function studyWithLinks(
	page: Page,
	study: { name: string; researchGoals?: string; interviewer: string; count: number; questions?: 2 | 3 }
): Promise<{ projectId: string; links: { id: string; token: string }[] }> {
	const project = await apiRequest<{ id: string }>(page, 'POST', '/api/projects', {
		name: study.name,
		researchGoals: study.researchGoals ?? 'Learn how new users get started.',
		interviewGuide: onboardingGuide(study.questions)
	});
	const interviewer = await apiRequest<{ id: string }>(page, 'POST', `/api/projects/${project.id}/interviewers`, {
		name: study.interviewer,
		durationMinutes: 10
	});
	const created = await apiRequest<{ links: { id: string; token: string }[] }>(page, 'POST', `/api/interviewers/${interviewer.id}/links`, {
		kind: 'single',
		count: study.count
	});
	return { projectId: project.id, links: created.links };
}
