import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteInsertSelectQueryBuilder } from 'drizzle-orm/sqlite-core';
import type { Database } from '../../db/client';
import { ledgerEntry, tokenBalance, type LedgerKind } from '../../db/schema';
import { errorMentions } from '../../lib/errors';

/**
 * The statements every ledger movement is made of. Each entry is two statements in one D1 batch:
 *
 *   1. INSERT the entry (its amount may be computed in SQL, and it may carry a condition);
 *   2. UPDATE the balance row by exactly that entry's deltas, only if the entry now exists.
 *
 * So the balance moves iff the entry was written, by the entry's own numbers: the sums of the
 * entries equal the balance by construction. `available >= 0` is the table's CHECK constraint:
 * an UPDATE that would take it below zero aborts the whole batch, and with it every other
 * statement the caller put in the same batch (link rows, for instance).
 */
export type Statement = BatchItem<'sqlite'>;

/** How each kind moves the balance, per token of the entry's amount. */
export const KIND_SIGNS: Record<LedgerKind, { available: -1 | 0 | 1; reserved: -1 | 0 | 1 }> = {
	grant: { available: 1, reserved: 0 },
	purchase: { available: 1, reserved: 0 },
	refund: { available: 1, reserved: 0 },
	reserve: { available: -1, reserved: 1 },
	release: { available: 1, reserved: -1 },
	charge: { available: 0, reserved: -1 }
};

export type EntryPlan = {
	id: string;
	workspaceId: string;
	kind: LedgerKind;
	/** Tokens (a positive integer), or an SQL expression evaluated inside the batch. */
	amount: number | SQL;
	reference: string | null;
	note: string | null;
	actorId: string | null;
	createdAt: number;
	/** An extra condition: the entry is written only when it holds. */
	when?: SQL;
	/** Write the entry even when the amount is 0 (a settlement marker). */
	allowZero?: boolean;
	/** `skip`: an entry with the same (kind, reference) makes this a no-op; `fail`: it aborts the batch. */
	onDuplicate: 'skip' | 'fail';
};

export function ensureBalanceRowStatement(db: Database, workspaceId: string, now: number): Statement {
	return db
		.insert(tokenBalance)
		.values({ workspaceId, available: 0, reserved: 0, updatedAt: new Date(now) })
		.onConflictDoNothing();
}

/** Every column of a ledger entry as SQL computed over the rows of `from` (aliased `x`). */
export type EntryColumns = {
	[K in 'id' | 'workspaceId' | 'kind' | 'availableDelta' | 'reservedDelta' | 'reference' | 'note' | 'actorId' | 'createdAt']: SQL;
};

/**
 * INSERT INTO ledger_entry SELECT …: entries whose amounts are computed inside the batch. Drizzle
 * checks at runtime that the selected keys are the table's columns, in order; its static type does
 * not accept SQL expressions for every column, hence the one cast, here.
 */
export function insertEntriesSelect(db: Database, columns: EntryColumns, from: SQL, where: SQL) {
	return db
		.insert(ledgerEntry)
		.select((qb) => qb.select(columns).from(from).where(where) as unknown as SQLiteInsertSelectQueryBuilder<typeof ledgerEntry>);
}

export function insertEntryStatement(db: Database, plan: EntryPlan): Statement {
	const signs = KIND_SIGNS[plan.kind];
	const floor = plan.allowZero ? sql`x.amount >= 0` : sql`x.amount > 0`;
	const insert = insertEntriesSelect(
		db,
		{
			id: sql`${plan.id}`,
			workspaceId: sql`${plan.workspaceId}`,
			kind: sql`${plan.kind}`,
			availableDelta: sql`${signs.available} * x.amount`,
			reservedDelta: sql`${signs.reserved} * x.amount`,
			reference: sql`${plan.reference}`,
			note: sql`${plan.note}`,
			actorId: sql`${plan.actorId}`,
			createdAt: sql`${plan.createdAt}`
		},
		sql`(SELECT ${plan.amount} AS amount) AS x`,
		plan.when ? sql`${floor} AND (${plan.when})` : floor
	);
	return plan.onDuplicate === 'skip' ? insert.onConflictDoNothing() : insert;
}

/** Moves the balance by the deltas of entry `entryId`, if that entry exists (was written in this batch). */
export function applyEntryStatement(db: Database, workspaceId: string, entryId: string, now: number): Statement {
	return db
		.update(tokenBalance)
		.set({
			available: sql`${tokenBalance.available} + coalesce((SELECT available_delta FROM ledger_entry WHERE id = ${entryId}), 0)`,
			reserved: sql`${tokenBalance.reserved} + coalesce((SELECT reserved_delta FROM ledger_entry WHERE id = ${entryId}), 0)`,
			updatedAt: new Date(now)
		})
		.where(
			and(
				eq(tokenBalance.workspaceId, workspaceId),
				sql`EXISTS (SELECT 1 FROM ledger_entry WHERE id = ${entryId} AND workspace_id = ${workspaceId})`
			)
		);
}

export function entryStatements(db: Database, plan: EntryPlan): [Statement, Statement] {
	return [insertEntryStatement(db, plan), applyEntryStatement(db, plan.workspaceId, plan.id, plan.createdAt)];
}

/** The reference of a settlement (charge, release, refund) made against reservation `reservation`. */
export const settlementReference = (reservation: string, settlement: string) => `${reservation}#${settlement}`;

/**
 * Tokens still held by a reservation: its reserve entry minus every charge and release made
 * against it. Those carry the reservation's reference itself or `<reference>#<settlement>`;
 * references never contain '#' or characters below '$', so the range below matches exactly those.
 */
export function outstandingSql(workspaceId: string, reservation: string): SQL {
	return sql`(SELECT coalesce(sum(reserved_delta), 0) FROM ledger_entry
		WHERE workspace_id = ${workspaceId} AND kind IN ('reserve', 'charge', 'release')
		AND reference >= ${reservation} AND reference < ${`${reservation}$`})`;
}

/** The amount an entry written earlier in this batch moved out of `reserved` (0 if it was not written). */
export function reservedOutflowSql(entryId: string): SQL {
	return sql`coalesce((SELECT -reserved_delta FROM ledger_entry WHERE id = ${entryId}), 0)`;
}

export function entryExistsSql(entryId: string): SQL {
	return sql`EXISTS (SELECT 1 FROM ledger_entry WHERE id = ${entryId})`;
}

export type ConstraintHit = 'available' | 'reserved' | 'reference' | null;

/** Which ledger constraint aborted a batch, if any. D1 reports them in the message of the error or its cause. */
export function constraintHit(error: unknown): ConstraintHit {
	if (errorMentions(error, 'token_balance_available_non_negative')) return 'available';
	if (errorMentions(error, 'token_balance_reserved_non_negative')) return 'reserved';
	if (errorMentions(error, 'UNIQUE constraint failed: ledger_entry.workspace_id, ledger_entry.kind, ledger_entry.reference'))
		return 'reference';
	return null;
}
