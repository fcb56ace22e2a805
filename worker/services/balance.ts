import { and, eq, gte, sql } from 'drizzle-orm';
import type { Balance } from '../contracts/api';
import type { Database } from '../db/client';
import { ledgerEntry, tokenBalance } from '../db/schema';

function startOfMonthUtc(now = new Date()): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Available and reserved from the balance row; used this month from the month's charges. */
export async function getBalance(db: Database, workspaceId: string): Promise<Balance> {
	const [row, used] = await Promise.all([
		db.query.tokenBalance.findFirst({ where: eq(tokenBalance.workspaceId, workspaceId) }),
		db
			.select({ total: sql<number>`coalesce(sum(-${ledgerEntry.reservedDelta}), 0)` })
			.from(ledgerEntry)
			.where(and(eq(ledgerEntry.workspaceId, workspaceId), eq(ledgerEntry.kind, 'charge'), gte(ledgerEntry.createdAt, startOfMonthUtc())))
			.get()
	]);
	return { available: row?.available ?? 0, reserved: row?.reserved ?? 0, usedThisMonth: Number(used?.total ?? 0) };
}
