/**
 * Type-level checks of the web's API client, compiled by svelte-check (tsconfig.json) and never run.
 * Each `@ts-expect-error` marks a mistake the client must refuse: if the client's types ever
 * widened to `any`, the mistake would compile, the directive would be unused, and the check fails.
 */
import { api, call, type ResponseOf } from '$lib/api';
import { postAuth } from '$lib/auth/auth-api';

type IsAny<T> = 0 extends 1 & T ? true : false;

type Project = ResponseOf<(typeof api.projects)[':projectId']['$get']>;
type CreatedLinks = ResponseOf<(typeof api.interviewers)[':interviewerId']['links']['$post']>;

export const projectIsTyped: IsAny<Project> = false;
export const createdLinksAreTyped: IsAny<CreatedLinks> = false;

export function readsResponseFields(project: Project, created: CreatedLinks) {
	const fields: [string, string, boolean, number] = [
		project.name,
		project.researchGoals,
		project.contextComplete,
		created.reservation.tokens
	];
	// @ts-expect-error a project has a name, not a title: a renamed response field fails to compile
	void project.title;
	// @ts-expect-error the batch's links are an array of links, not of strings
	const tokens: string[] = created.links;
	return [fields, tokens];
}

export async function sendsTypedRequests(projectId: string) {
	const project = await call(api.projects[':projectId'].$get, { param: { projectId } });
	// @ts-expect-error the route's parameter is projectId
	await call(api.projects[':projectId'].$get, { param: { id: projectId } });
	// @ts-expect-error a project is created from a name
	await call(api.projects.$post, { json: { title: 'Onboarding' } });
	// @ts-expect-error a rename sends a string
	await call(api.projects[':projectId'].$patch, { param: { projectId }, json: { name: 42 } });
	// @ts-expect-error there is no such route
	await call(api.projects[':projectId'].archive.$post, { param: { projectId } });
	const removed: undefined = await call(api.projects[':projectId'].$delete, { param: { projectId } });
	return [project, removed];
}

export async function sendsTypedAuthForms() {
	await postAuth('sign-in/email', { email: 'ada@example.com', password: 'correct horse battery staple' });
	// @ts-expect-error sign-in takes an email and a password
	await postAuth('sign-in/email', { username: 'ada', password: 'correct horse battery staple' });
	// @ts-expect-error better-auth's catch-all has no such guarded form
	await postAuth('sign-in/magic-link', { email: 'ada@example.com' });
}
