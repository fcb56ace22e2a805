import { tick } from 'svelte';

/**
 * Moves focus after the editor re-renders, to the first of `keys` whose element exists and is enabled.
 * Editor controls carry `data-focus-key` attributes for this.
 */
export async function focusAfterUpdate(root: HTMLElement | undefined, ...keys: string[]) {
	await tick();
	if (!root) return;
	for (const key of keys) {
		const element = root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
		if (element && !element.matches(':disabled')) {
			element.focus();
			return;
		}
	}
}
