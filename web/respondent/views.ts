import type { Component } from 'svelte';
import type { InterviewSession } from '$lib/interview/session.svelte';

type View = { default: Component<{ session: InterviewSession }> };

/**
 * The respondent page's views past the onboarding, each its own chunk: a respondent downloads the
 * call's code when they press Start (or when a rejoin, a refusal or the end needs it), not before.
 * The onboarding is imported by the page itself, so the first paint needs no extra request.
 */
const loaders: Record<LaterView, () => Promise<View>> = {
	call: () => import('./CallView.svelte'),
	verify: () => import('./VerifyView.svelte'),
	ended: () => import('./EndView.svelte'),
	replaced: () => import('./ReplacedView.svelte'),
	refused: () => import('./RefusalView.svelte')
};

export type LaterView = 'call' | 'verify' | 'ended' | 'replaced' | 'refused';

let fetchedAll = false;

/**
 * The view's module. The first view asked for fetches the others too, so the end of a call (or a
 * refusal when the connection drops) never waits on the network, or fails for lack of it.
 */
export function loadView(view: LaterView): Promise<View> {
	if (!fetchedAll) {
		fetchedAll = true;
		for (const load of Object.values(loaders)) void load().catch(() => undefined);
	}
	return loaders[view]();
}
