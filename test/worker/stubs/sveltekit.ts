/**
 * Stands in for the SvelteKit build in the workerd suite: these tests exercise the API, the
 * interview socket and the jobs, never pages, so they need no `vite build` first.
 */
export default {
	fetch: () => new Response('Pages are not part of the workerd test suite.', { status: 404 })
};
