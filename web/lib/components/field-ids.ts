type DescribedParts = { hint?: string; error?: string | null; limit?: number };

/** The ARIA attributes that mark a control invalid and link it to the hint, error and counter FieldFrame renders. */
export function controlAria(id: string, parts: DescribedParts) {
	return { 'aria-invalid': parts.error ? ('true' as const) : undefined, 'aria-describedby': describedBy(id, parts) };
}

/** The aria-describedby value that links a control to the hint, error and counter FieldFrame renders. */
function describedBy(id: string, parts: DescribedParts): string | undefined {
	const ids = [
		parts.error ? `${id}-error` : null,
		parts.hint ? `${id}-hint` : null,
		parts.limit !== undefined ? `${id}-count` : null
	].filter(Boolean);
	return ids.length ? ids.join(' ') : undefined;
}
