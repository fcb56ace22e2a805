import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Balance, LedgerEntry } from '../../contracts/billing';
import type { Database } from '../../db/client';
import { ledgerEntry, tokenBalance, type LedgerKind } from '../../db/schema';
import { afterCursor, pageOf } from '../../lib/cursor';
import type { LedgerEntryRow } from './core';

/** Reads of the ledger: the balance, pages of entries, and the consistency check. */

export function startOfMonthUtc(now: Date): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function startOfNextMonthUtc(now: Date): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** Available and reserved tokens, and the tokens charged since the start of this calendar month (UTC). */
export async function getBalance(db: Database, workspaceId: string, now = new Date()): Promise<Balance> {
	const [row, used] = await db.batch([
		db
			.select({ available: tokenBalance.available, reserved: tokenBalance.reserved })
			.from(tokenBalance)
			.where(eq(tokenBalance.workspaceId, workspaceId)),
		db
			.select({ used: sql<number>`coalesce(-sum(${ledgerEntry.reservedDelta} + ${ledgerEntry.availableDelta}), 0)` })
			.from(ledgerEntry)
			.where(
				and(
					eq(ledgerEntry.workspaceId, workspaceId),
					eq(ledgerEntry.kind, 'charge'),
					gte(ledgerEntry.createdAt, startOfMonthUtc(now)),
					lt(ledgerEntry.createdAt, startOfNextMonthUtc(now))
				)
			)
	]);
	return { available: row[0]?.available ?? 0, reserved: row[0]?.reserved ?? 0, usedThisMonth: Number(used[0]?.used ?? 0) };
}

export type LedgerFilter = { kinds?: LedgerKind[]; from?: Date; to?: Date };

export function toEntryView(row: LedgerEntryRow): LedgerEntry {
	return {
		id: row.id,
		kind: row.kind,
		availableDelta: row.availableDelta,
		reservedDelta: row.reservedDelta,
		reference: row.reference,
		note: row.note,
		actorId: row.actorId,
		createdAt: row.createdAt.toISOString()
	};
}

/** Newest first. `nextCursor` is null on the last page. */
export async function listEntries(
	db: Database,
	workspaceId: string,
	options: LedgerFilter & { cursor?: string; limit?: number } = {}
): Promise<{ entries: LedgerEntry[]; nextCursor: string | null }> {
	const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
	const conditions: SQL[] = [eq(ledgerEntry.workspaceId, workspaceId)];
	if (options.kinds?.length) conditions.push(inArray(ledgerEntry.kind, options.kinds));
	if (options.from) conditions.push(gte(ledgerEntry.createdAt, options.from));
	if (options.to) conditions.push(lt(ledgerEntry.createdAt, options.to));
	const after = afterCursor(ledgerEntry.createdAt, ledgerEntry.id, options.cursor);
	if (after) conditions.push(after);
	const rows = await db
		.select()
		.from(ledgerEntry)
		.where(and(...conditions))
		.orderBy(desc(ledgerEntry.createdAt), desc(ledgerEntry.id))
		.limit(limit + 1);
	const page = pageOf(rows, limit, (row) => row);
	return { entries: page.rows.map(toEntryView), nextCursor: page.nextCursor };
}

/** The balance row next to the sums of the entries. They are equal, always; a sweep or a test can check it. */
export async function auditBalance(db: Database, workspaceId: string) {
	const [row, sums] = await db.batch([
		db
			.select({ available: tokenBalance.available, reserved: tokenBalance.reserved })
			.from(tokenBalance)
			.where(eq(tokenBalance.workspaceId, workspaceId)),
		db
			.select({
				available: sql<number>`coalesce(sum(${ledgerEntry.availableDelta}), 0)`,
				reserved: sql<number>`coalesce(sum(${ledgerEntry.reservedDelta}), 0)`,
				entries: sql<number>`count(*)`
			})
			.from(ledgerEntry)
			.where(eq(ledgerEntry.workspaceId, workspaceId))
	]);
	const balance = { available: row[0]?.available ?? 0, reserved: row[0]?.reserved ?? 0 };
	const fromEntries = { available: Number(sums[0]?.available ?? 0), reserved: Number(sums[0]?.reserved ?? 0) };
	return {
		balance,
		fromEntries,
		entries: Number(sums[0]?.entries ?? 0),
		consistent: balance.available === fromEntries.available && balance.reserved === fromEntries.reserved
	};
}
