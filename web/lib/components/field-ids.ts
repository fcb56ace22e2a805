/** The aria-describedby value that links a control to the hint, error and counter FieldFrame renders. */
export function describedBy(id: string, parts: { hint?: string; error?: string | null; limit?: number }): string | undefined {
	const ids = [
		parts.error ? `${id}-error` : null,
		parts.hint ? `${id}-hint` : null,
		parts.limit !== undefined ? `${id}-count` : null
	].filter(Boolean);
	return ids.length ? ids.join(' ') : undefined;
}
