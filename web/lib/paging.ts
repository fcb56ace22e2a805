import { PAGE_LIMITS } from '$contracts/pagination';

/**
 * How many rows a refresh of a paged list asks for: a page, or as many as are shown (up to the API's maximum), so a
 * refresh does not take back the rows "Load more" added.
 */
export const refreshLimit = (shown: number) => String(Math.min(PAGE_LIMITS.max, Math.max(PAGE_LIMITS.default, shown)));

/** Appends a page to the rows shown, leaving out any row already there (a row can move while the pages are read). */
export function appendPage<T extends { id: string }>(shown: T[], page: T[]): T[] {
	const seen = new Set(shown.map((row) => row.id));
	return [...shown, ...page.filter((row) => !seen.has(row.id))];
}
