/**
 * The respondent page's views past the onboarding, each its own chunk: a respondent downloads the
 * call's code when they press Start (or when a rejoin, a refusal or the end needs it), not before.
 * The onboarding is imported by the page itself, so the first paint needs no extra request.
 */
export const laterViews = {
	call: () => import('./CallView.svelte'),
	verify: () => import('./VerifyView.svelte'),
	ended: () => import('./EndView.svelte'),
	replaced: () => import('./ReplacedView.svelte'),
	refused: () => import('./RefusalView.svelte')
};

export type LaterView = keyof typeof laterViews;
