import { tick } from 'svelte';
import { moveItem } from './guide-draft';

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

/**
 * Moves one item of an editor list and keeps the keyboard on it: focus stays on the arrow that was pressed,
 * or goes to the other one once the item reaches the end. `key` is the item's focus key after the move.
 */
export function moveKeepingFocus<T>(root: HTMLElement | undefined, list: T[], index: number, delta: -1 | 1, key: string) {
	if (!moveItem(list, index, delta)) return;
	const [pressed, other] = delta < 0 ? ['up', 'down'] : ['down', 'up'];
	void focusAfterUpdate(root, `${key}:${pressed}`, `${key}:${other}`);
}
