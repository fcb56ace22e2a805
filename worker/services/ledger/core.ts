import { inArray } from 'drizzle-orm';
import { runBatchThenRead, type Database } from '../../db/client';
import { ledgerEntry } from '../../db/schema';
import { ApiError } from '../../lib/errors';
import { constraintHit, ensureBalanceRowStatement, entryStatements, type EntryPlan, type Statement } from './sql';

/** What every ledger movement shares: limits, validation, and running planned statements. */

export const MAX_TOKENS = 10_000_000;
const MAX_NOTE_CHARS = 500;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9:_.-]{0,199}$/;

export type LedgerEntryRow = typeof ledgerEntry.$inferSelect;

/** Statements to put in a `db.batch`, and the ids of the entries they may write. */
export type Planned = { workspaceId: string; statements: [Statement, ...Statement[]]; entryIds: string[] };

/** What every movement carries. */
export type Common = { workspaceId: string; note?: string | null; actorId?: string | null; now?: number };

export type Shortfall = { ok: false; shortfall: number; available: number; required: number };

// ---------------------------------------------------------------- validation

export function assertTokenAmount(amount: unknown, what = 'amount'): number {
	if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1 || amount > MAX_TOKENS) {
		throw new ApiError('invalid_request', `The ${what} must be a whole number of tokens from 1 to ${MAX_TOKENS}.`, { [what]: amount });
	}
	return amount;
}

export function assertReference(reference: unknown, what = 'reference'): string {
	if (typeof reference !== 'string' || !REFERENCE.test(reference)) {
		throw new ApiError('invalid_request', `The ${what} must be 1 to 200 letters, digits or ":_.-".`, { [what]: reference });
	}
	return reference;
}

function checkedNote(note: string | null | undefined): string | null {
	if (note == null) return null;
	if (note.length > MAX_NOTE_CHARS) throw new ApiError('invalid_request', `Ledger notes are at most ${MAX_NOTE_CHARS} characters.`);
	return note;
}

/** Validated common fields of a movement. */
export function base(input: Common) {
	if (typeof input.workspaceId !== 'string' || input.workspaceId.length === 0) {
		throw new ApiError('invalid_request', 'A workspace is required.');
	}
	return {
		workspaceId: input.workspaceId,
		note: checkedNote(input.note),
		actorId: input.actorId ?? null,
		createdAt: input.now ?? Date.now()
	};
}

// ---------------------------------------------------------------- running planned statements

/**
 * Runs planned ledger statements and the caller's statements in ONE batch (an interview's
 * completion: settlement + record + link status), then reads back the entries written: an entry
 * id missing from `entries` was not written (a replay). `results` are those of `statements`.
 */
export async function batchWithLedger(
	db: Database,
	planned: Planned,
	statements: readonly Statement[]
): Promise<{ entries: Map<string, LedgerEntryRow>; results: unknown[] }> {
	const readBack = db.select().from(ledgerEntry).where(inArray(ledgerEntry.id, planned.entryIds));
	const { results, read } = await runBatchThenRead(db, [...planned.statements, ...statements], readBack).catch(ledgerFailure);
	return { entries: new Map(read.map((row) => [row.id, row])), results: results.slice(planned.statements.length) };
}

/** Runs planned statements on their own and returns the entries they wrote. */
export async function runPlanned(db: Database, planned: Planned): Promise<Map<string, LedgerEntryRow>> {
	return (await batchWithLedger(db, planned, [])).entries;
}

/** Turns a ledger constraint failure into an API error; anything else is rethrown as is. */
export function ledgerFailure(error: unknown): never {
	switch (constraintHit(error)) {
		case 'available':
			throw new ApiError('insufficient_tokens', 'Not enough tokens available.');
		case 'reserved':
			throw new ApiError('conflict', 'That would release more tokens than are reserved.');
		case 'reference':
			throw new ApiError('conflict', 'A ledger entry with this reference already exists.');
		default:
			throw error;
	}
}

/** A plan that writes one entry, and its balance change, in `common`'s workspace. */
export function singleEntryPlan(
	db: Database,
	common: ReturnType<typeof base>,
	entry: Omit<EntryPlan, 'id' | 'workspaceId' | 'note' | 'actorId' | 'createdAt'>
): Planned {
	const id = crypto.randomUUID();
	return {
		workspaceId: common.workspaceId,
		entryIds: [id],
		statements: [ensureBalanceRowStatement(db, common.workspaceId, common.createdAt), ...entryStatements(db, { ...common, id, ...entry })]
	};
}
