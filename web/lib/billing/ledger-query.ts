import type { LedgerKind } from '$contracts/billing';

export type LedgerFilters = { kind: LedgerKind | ''; from: string; to: string };

/** The ledger's filter parameters: dates are local calendar days, and `to` includes its whole day. */
export function ledgerQuery(filters: LedgerFilters): { kind?: string; from?: string; to?: string } {
	const query: { kind?: string; from?: string; to?: string } = {};
	if (filters.kind) query.kind = filters.kind;
	if (filters.from) query.from = new Date(`${filters.from}T00:00`).toISOString();
	if (filters.to) {
		const end = new Date(`${filters.to}T00:00`);
		end.setDate(end.getDate() + 1);
		query.to = end.toISOString();
	}
	return query;
}

/** Why the date range cannot be used, or null. */
export function rangeProblem(filters: LedgerFilters): string | null {
	return filters.from && filters.to && filters.from > filters.to ? 'The start date is after the end date.' : null;
}
