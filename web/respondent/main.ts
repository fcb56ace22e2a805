import { mount } from 'svelte';
import '$lib/styles/global.css';
import RespondentPage from './RespondentPage.svelte';

/**
 * The respondent page's own entry, without SvelteKit's router: the Worker serves the HTML shell at
 * /interview/<token> and /embed/<token> (worker/api/respondent-page.ts) and this mounts the page into it.
 */
const [, prefix = '', segment = ''] = location.pathname.split('/');
const embedded = prefix === 'embed';
let token = '';
try {
	token = decodeURIComponent(segment);
} catch {
	// A malformed escape is no token any link has: the page says the link is unknown.
}

mount(RespondentPage, {
	target: document.getElementById('respondent') ?? document.body,
	props: { token, embedded, email: embedded ? new URLSearchParams(location.search).get('email') : null }
});
