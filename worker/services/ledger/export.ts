import type { LedgerEntry } from '../../contracts/billing';
import type { Database } from '../../db/client';
import { listEntries, type LedgerFilter } from './read';

/** The ledger as CSV (RFC 4180), every entry that matches the filter, newest first. */

const COLUMNS = ['id', 'created_at', 'kind', 'available_delta', 'reserved_delta', 'reference', 'note', 'actor_id'] as const;
const PAGE = 500;

/**
 * Quotes a field when it holds a comma, a quote or a line break. Text that a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR first) is prefixed with an apostrophe; numbers never are.
 */
export function csvField(value: string | number | null): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(entry: LedgerEntry): string {
	return [
		csvField(entry.id),
		csvField(entry.createdAt),
		csvField(entry.kind),
		csvField(entry.availableDelta),
		csvField(entry.reservedDelta),
		csvField(entry.reference),
		csvField(entry.note),
		csvField(entry.actorId)
	].join(',');
}

export const CSV_HEADER = COLUMNS.join(',');

/** Streams the CSV page by page, so a long ledger never sits in memory whole. */
export function ledgerCsv(db: Database, workspaceId: string, filter: LedgerFilter): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let cursor: string | undefined;
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode(`${CSV_HEADER}\r\n`));
			}
			const page = await listEntries(db, workspaceId, { ...filter, cursor, limit: PAGE });
			if (page.entries.length > 0) controller.enqueue(encoder.encode(page.entries.map((entry) => `${csvRow(entry)}\r\n`).join('')));
			if (page.nextCursor) cursor = page.nextCursor;
			else controller.close();
		}
	});
}
