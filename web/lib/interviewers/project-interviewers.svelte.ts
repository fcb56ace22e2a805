import type { Interviewer } from '$contracts/links';
import { api, call } from '$lib/api';
import { RemoteList } from '$lib/settings/remote-list.svelte';

/** A project's interviewers, fetched from the API. */
export function projectInterviewers(projectId: string): RemoteList<Interviewer> {
	return new RemoteList(async () => (await call(api.projects[':projectId'].interviewers.$get, { param: { projectId } })).interviewers);
}

/** Replaces or appends an interviewer in a loaded list. */
export function upsert(list: RemoteList<Interviewer>, interviewer: Interviewer) {
	const items = list.items ?? [];
	list.items = items.some((item) => item.id === interviewer.id)
		? items.map((item) => (item.id === interviewer.id ? interviewer : item))
		: [...items, interviewer];
}
