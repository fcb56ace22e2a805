/**
 * better-auth's endpoints under /api/auth. The Worker serves them through one catch-all route, so
 * the typed client has nothing for them; their request bodies are typed by the Worker's guards.
 */
import type { AuthRequestBodies } from '$api-types/auth';
import { settle } from '$lib/api-error';
import type { RequestOptions } from '$lib/api';

const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

/** Posts a form to a guarded endpoint (sign up, sign in, password reset); failures throw ApiRequestError. */
export function postAuth<Path extends keyof AuthRequestBodies>(path: Path, body: AuthRequestBodies[Path]): Promise<unknown> {
	return settle(() =>
		fetch(`/api/auth/${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body), credentials: 'same-origin' })
	);
}

/** better-auth's session, or null when signed out (it answers 200 with null then). */
export function getSession({ fetch: fetchWith = fetch, signal }: RequestOptions = {}): Promise<unknown> {
	return settle(() => fetchWith('/api/auth/get-session', { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal }));
}

export function postSignOut(): Promise<unknown> {
	return settle(() => fetch('/api/auth/sign-out', { method: 'POST', headers: JSON_HEADERS, body: '{}', credentials: 'same-origin' }));
}
