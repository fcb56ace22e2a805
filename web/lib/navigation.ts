/** A `next` target from the query string, kept only when it is a path on this site. */
export function safeNext(value: string | null | undefined, fallback = '/projects'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
	return value;
}

/** The sign-in page that brings the visitor back to `path` afterwards. */
export const signInUrl = (path: string) => `/sign-in?next=${encodeURIComponent(path)}`;

/** Adds `next` to an auth page link when there is somewhere to return to. */
export function withNext(page: string, next: string | null): string {
	return next && next !== '/projects' ? `${page}?next=${encodeURIComponent(next)}` : page;
}
