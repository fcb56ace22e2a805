import type { LedgerKind } from '$contracts/billing';
import type { BadgeTone } from '$lib/components/Badge.svelte';
import { formatNumber } from '$lib/format';

export const KIND_LABELS: Record<LedgerKind, { label: string; tone: BadgeTone; meaning: string }> = {
	grant: { label: 'Grant', tone: 'success', meaning: 'Free tokens added' },
	purchase: { label: 'Purchase', tone: 'success', meaning: 'Tokens bought' },
	reserve: { label: 'Reserve', tone: 'warning', meaning: 'Held for a link or an interview' },
	release: { label: 'Release', tone: 'accent', meaning: 'A hold given back' },
	charge: { label: 'Charge', tone: 'neutral', meaning: 'Minutes used by an interview' },
	refund: { label: 'Refund', tone: 'accent', meaning: 'Tokens given back' }
};

/** Every ledger kind, in the order the filter lists them. */
export const LEDGER_KINDS = Object.keys(KIND_LABELS) as LedgerKind[];

/** "+120", "−45", or "0". */
export function signed(value: number): string {
	if (value === 0) return '0';
	return `${value > 0 ? '+' : '−'}${formatNumber(Math.abs(value))}`;
}

export function formatPrice(cents: number, currency: string): string {
	return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}
