import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { animationsDone } from './accounts';

/** WCAG 2.0 and 2.1, levels A and AA, plus axe-core's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe-core's own script, as its package hands it over for injecting into a page. */
const AXE_SOURCE = axe.source;

type Violation = {
	id: string;
	impact: string | null;
	help: string;
	nodes: { target: unknown[]; failureSummary?: string }[];
};

/**
 * Runs axe-core over the page (or the element `within` selects) as it is now (animations finished) and lists every violation as one
 * readable line per element: where (`label`), the rule, what is wrong and which element. The
 * script is evaluated through the DevTools protocol, so the page's CSP does not block it.
 */
export async function axeViolations(page: Page, label: string, within?: string): Promise<string[]> {
	await animationsDone(page);
	await page.evaluate(AXE_SOURCE);
	const violations = await page.evaluate(
		async ({ tags, within }) => {
			const injected = (
				window as unknown as { axe: { run: (context: Document | Element, options: unknown) => Promise<{ violations: unknown[] }> } }
			).axe;
			const context = within ? (document.querySelector(within) ?? document) : document;
			const results = await injected.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
			return results.violations;
		},
		{ tags: TAGS, within }
	);
	return (violations as Violation[]).flatMap((violation) =>
		violation.nodes.map((node) => {
			const why = (node.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
			return `${label}: ${violation.id} (${violation.impact ?? 'n/a'}) ${violation.help} at ${node.target.join(' ')}${why ? ` — ${why}` : ''}`;
		})
	);
}
