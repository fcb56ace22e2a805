import { describe, expect, it } from 'vitest';
import type { LiveInterview } from '../../worker/contracts/live';
import type { ListedLink } from '../../worker/contracts/links';
import { callJson, signUp } from './helpers/api';
import { setUp } from './helpers/interview';
import { createApiKey, running, withKey } from './helpers/observer';
import { createProject } from './helpers/workspace';

type Live = { interviews: LiveInterview[] };

describe('GET /api/projects/:projectId/interviews/live', () => {
	it('lists the interviews running now with their link and respondent, and drops them when they end', async () => {
		const { owner, project, interviewer, links } = await setUp({ kind: 'private', names: ['Group A', 'Group B'] });
		const first = await running(links[0]!.token);
		const second = await running(links[1]!.token);

		const live = await callJson<Live>(`/api/projects/${project.id}/interviews/live`, { as: owner.as });
		expect(live.status).toBe(200);
		expect(live.body.interviews.map((each) => each.id).sort()).toEqual([first.interviewId, second.interviewId].sort());
		const listed = live.body.interviews.find((each) => each.id === first.interviewId)!;
		expect(listed).toMatchObject({
			projectId: project.id,
			interviewerId: interviewer.id,
			link: { id: links[0]!.id, name: 'Group A', kind: 'private' },
			respondent: first.email
		});
		expect(Date.parse(listed.deadlineAt) - Date.parse(listed.startedAt)).toBe(10 * 60_000);

		first.socket.send(JSON.stringify({ type: 'leave' }));
		await first.next('ended');
		const after = await callJson<Live>(`/api/projects/${project.id}/interviews/live`, { as: owner.as });
		expect(after.body.interviews.map((each) => each.id)).toEqual([second.interviewId]);
	});

	it('shows nothing of another workspace: 404 for its project by session or API key, and 401 without credentials', async () => {
		const { project, links } = await setUp();
		await running(links[0]!.token);
		const stranger = await signUp('stranger');
		await createProject(stranger);
		const strangerKey = await createApiKey(stranger);

		for (const as of [stranger.as, { apiKey: strangerKey }]) {
			const response = await callJson<{ error: { code: string } }>(`/api/projects/${project.id}/interviews/live`, { as });
			expect(response.status).toBe(404);
			expect(response.body.error.code).toBe('not_found');
		}
		const anonymous = await callJson<{ error: { code: string } }>(`/api/projects/${project.id}/interviews/live`);
		expect(anonymous.status).toBe(401);
	});

	it('answers an API key of the workspace', async () => {
		const { owner, project, links } = await setUp();
		const interview = await running(links[0]!.token);
		const key = await createApiKey(owner);
		const response = await callJson<Live>(`/api/projects/${project.id}/interviews/live`, { headers: withKey(key) });
		expect(response.body.interviews.map((each) => each.id)).toEqual([interview.interviewId]);
	});
});

describe("an interviewer's links list", () => {
	it('gives each link the ids of its interviews running now', async () => {
		const { owner, interviewer, links } = await setUp({ kind: 'single', count: 2 });
		const interview = await running(links[0]!.token);
		const listed = await callJson<{ links: ListedLink[] }>(`/api/interviewers/${interviewer.id}/links?tab=active`, { as: owner.as });
		const byId = new Map(listed.body.links.map((link) => [link.id, link.liveInterviews]));
		expect(byId.get(links[0]!.id)).toEqual([interview.interviewId]);
		expect(byId.get(links[1]!.id)).toEqual([]);

		interview.socket.send(JSON.stringify({ type: 'text', content: 'I run the support desk.' }));
		await interview.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		interview.socket.send(JSON.stringify({ type: 'leave' }));
		await interview.next('ended');
		const completed = await callJson<{ links: ListedLink[] }>(`/api/interviewers/${interviewer.id}/links?tab=completed`, { as: owner.as });
		expect(completed.body.links.find((link) => link.id === links[0]!.id)?.liveInterviews).toEqual([]);
	});
});
