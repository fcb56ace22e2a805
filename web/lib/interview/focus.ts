/** For `{@attach}`: moves focus to a view's heading when the view appears, so screen readers follow. */
export function focusOnMount(node: HTMLElement): void {
	node.focus({ preventScroll: true });
}
