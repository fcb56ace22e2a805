import type { LedgerKind } from '$contracts/billing';

export type LedgerFilters = { kind: LedgerKind | ''; from: string; to: string };

/** Query parameters for the ledger: dates are local calendar days, and `to` includes its whole day. */
export function ledgerParams(filters: LedgerFilters, extra: Record<string, string> = {}): URLSearchParams {
	const params = new URLSearchParams(extra);
	if (filters.kind) params.set('kind', filters.kind);
	if (filters.from) params.set('from', new Date(`${filters.from}T00:00`).toISOString());
	if (filters.to) {
		const end = new Date(`${filters.to}T00:00`);
		end.setDate(end.getDate() + 1);
		params.set('to', end.toISOString());
	}
	return params;
}

/** Why the date range cannot be used, or null. */
export function rangeProblem(filters: LedgerFilters): string | null {
	return filters.from && filters.to && filters.from > filters.to ? 'The start date is after the end date.' : null;
}
