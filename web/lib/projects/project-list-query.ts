export type ProjectSort = 'updated' | 'created' | 'name';

export const SORT_OPTIONS: readonly { value: ProjectSort; label: string }[] = [
	{ value: 'updated', label: 'Last updated' },
	{ value: 'created', label: 'Newest first' },
	{ value: 'name', label: 'Name (A–Z)' }
];

export function parseSort(value: string | null): ProjectSort {
	return value === 'created' || value === 'name' ? value : 'updated';
}

/** The API query for a search and sort: names read A–Z, dates newest first. */
export function projectListQuery(q: string, sort: ProjectSort): { sort: ProjectSort; order: 'asc' | 'desc'; q?: string } {
	return { sort, order: sort === 'name' ? 'asc' : 'desc', ...(q && { q }) };
}
