const FOCUSABLE = [
	'a[href]',
	'button:not([disabled])',
	'input:not([disabled]):not([type="hidden"])',
	'select:not([disabled])',
	'textarea:not([disabled])',
	'[tabindex]:not([tabindex="-1"])'
].join(',');

/** Elements inside `root` that Tab can reach, in document order. */
export function focusableWithin(root: HTMLElement): HTMLElement[] {
	return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
		(element) => !element.closest('[inert]') && element.getClientRects().length > 0
	);
}

/** Keeps Tab and Shift+Tab cycling inside `root`. Returns true when it moved focus. */
export function trapTab(event: KeyboardEvent, root: HTMLElement): boolean {
	if (event.key !== 'Tab') return false;
	const elements = focusableWithin(root);
	if (elements.length === 0) return false;
	const first = elements[0]!;
	const last = elements[elements.length - 1]!;
	const active = document.activeElement;
	if (event.shiftKey && (active === first || !root.contains(active))) {
		event.preventDefault();
		last.focus();
		return true;
	}
	if (!event.shiftKey && (active === last || !root.contains(active))) {
		event.preventDefault();
		first.focus();
		return true;
	}
	return false;
}
