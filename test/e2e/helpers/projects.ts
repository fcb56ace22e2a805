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
