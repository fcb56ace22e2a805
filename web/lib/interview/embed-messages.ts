import type { EndReason } from './i18n';
import type { Phase } from './session.svelte';

/** What the embedding page hears; the README documents these names and fields. */
export type EmbedMessage = { type: 'parley:started' } | { type: 'parley:completed' | 'parley:closed'; reason: EndReason };

/** The embedding page's origin: Chromium names the ancestors, other browsers leave the referrer. */
function embedderOrigin(): string | null {
	const ancestor = location.ancestorOrigins?.[0];
	if (ancestor) return ancestor;
	return URL.canParse(document.referrer) ? new URL(document.referrer).origin : null;
}

/**
 * Tells the embedding page when the interview starts and how it ends, once each. Messages go only
 * to one of the link's Allowed websites (the CSP lets nothing else frame the page): to the one the
 * browser names as the parent, or, when it names none, to each of them, which the browser delivers
 * only to the one that is really the parent.
 */
export class EmbedMessages {
	private started = false;
	private ended = false;

	follow(phase: Phase, endReason: EndReason | null, allowedOrigins: readonly string[]): void {
		if (phase === 'call' && !this.started) {
			this.started = true;
			this.post({ type: 'parley:started' }, allowedOrigins);
		}
		if (phase === 'ended' && endReason && !this.ended) {
			this.ended = true;
			const finished = endReason === 'completed' || endReason === 'deadline';
			this.post({ type: finished ? 'parley:completed' : 'parley:closed', reason: endReason }, allowedOrigins);
		}
	}

	private post(message: EmbedMessage, allowedOrigins: readonly string[]): void {
		if (window.parent === window) return;
		const parent = embedderOrigin();
		const targets = parent && allowedOrigins.includes(parent) ? [parent] : allowedOrigins;
		for (const origin of targets) window.parent.postMessage(message, origin);
	}
}
