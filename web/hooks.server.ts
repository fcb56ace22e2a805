import type { Handle } from '@sveltejs/kit';

/** Headers for every HTML page, next to the CSP that svelte.config.js has SvelteKit emit. */
const PAGE_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'Permissions-Policy': 'microphone=(self), camera=(), geolocation=(), payment=()',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'X-Frame-Options': 'DENY'
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(PAGE_HEADERS)) response.headers.set(name, value);
	if (event.url.protocol === 'https:') response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	return response;
};
