/** The study the relay benches interview in: a researcher, a project, an interviewer and its links. */
import { signUpResearcher } from './lib.ts';

export type Parley = { origin: string; cookie: string; tokens: string[]; publicToken: string };

/** A researcher with a project, an interviewer, enough single-use links and one unlimited public link. */
export async function setUpParley(origin: string, singleLinks: number): Promise<Parley> {
	const cookie = await signUpResearcher(origin);
	const headers = { 'Content-Type': 'application/json', Origin: origin, Cookie: cookie };
	const post = async <T>(path: string, body: unknown): Promise<T> => {
		const response = await fetch(`${origin}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
		if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	};
	const guide = { sections: [{ id: 's1', title: 'Relay', questions: [{ id: 'q1', text: 'How is the connection?', probes: [] }] }] };
	const project = await post<{ id: string }>('/api/projects', {
		name: 'Relay bench',
		researchGoals: 'Measure the relay.',
		interviewGuide: guide
	});
	const interviewer = await post<{ id: string }>(`/api/projects/${project.id}/interviewers`, {
		name: 'Bench',
		durationMinutes: 5,
		voice: 'marin'
	});
	const tokens: string[] = [];
	while (tokens.length < singleLinks) {
		const created = await post<{ links: Array<{ token: string }> }>(`/api/interviewers/${interviewer.id}/links`, {
			kind: 'single',
			count: Math.min(500, singleLinks - tokens.length)
		});
		tokens.push(...created.links.map((link) => link.token));
	}
	const shared = await post<{ links: Array<{ token: string }> }>(`/api/interviewers/${interviewer.id}/links`, {
		kind: 'public',
		maxUses: 0
	});
	return { origin, cookie, tokens, publicToken: shared.links[0]!.token };
}
