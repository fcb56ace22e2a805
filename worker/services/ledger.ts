import { eq, inArray, sql } from 'drizzle-orm';
import type { BatchResponse } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { ledgerEntry, tokenBalance } from '../db/schema';
import { ApiError } from '../lib/errors';
import {
	constraintHit,
	ensureBalanceRowStatement,
	entryExistsSql,
	entryStatements,
	outstandingSql,
	reservedOutflowSql,
	settlementReference,
	type Statement
} from './ledger-sql';

/**
 * The token ledger: append-only entries per workspace, and a balance row moved in the same D1
 * batch as each entry (see ledger-sql.ts for how). No HTTP in here.
 *
 * Reservations are named by a reference chosen by the caller (`link:<id>`, `interview:<id>`).
 * Charges and releases are made against a reservation and can never take more than it still
 * holds, so a double release or a late charge cannot leak tokens from other reservations.
 */

export const MAX_TOKENS = 10_000_000;
const MAX_NOTE_CHARS = 500;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9:_.-]{0,199}$/;

export type LedgerEntryRow = typeof ledgerEntry.$inferSelect;

/** Statements to put in a `db.batch`, and the ids of the entries they may write. */
export type Planned = { workspaceId: string; statements: [Statement, ...Statement[]]; entryIds: string[] };

type Common = { workspaceId: string; note?: string | null; actorId?: string | null; now?: number };

export type Shortfall = { ok: false; shortfall: number; available: number; required: number };

// ---------------------------------------------------------------- validation

export function assertTokenAmount(amount: unknown, what = 'amount'): number {
	if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1 || amount > MAX_TOKENS) {
		throw new ApiError('invalid_request', `The ${what} must be a whole number of tokens from 1 to ${MAX_TOKENS}.`, { [what]: amount });
	}
	return amount;
}

function assertReference(reference: unknown, what = 'reference'): string {
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

function base(input: Common) {
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

/** Runs planned statements, then reads back the entries they wrote. An entry missing from the map was not written. */
async function execute(db: Database, planned: Planned): Promise<Map<string, LedgerEntryRow>> {
	const readBack = db.select().from(ledgerEntry).where(inArray(ledgerEntry.id, planned.entryIds));
	const results = await db.batch([...planned.statements, readBack] as unknown as [Statement, ...Statement[]]);
	const rows = results[results.length - 1] as LedgerEntryRow[];
	return new Map(rows.map((row) => [row.id, row]));
}

/** Turns a ledger constraint failure into an API error; anything else is rethrown as is. */
function ledgerFailure(error: unknown): never {
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

async function shortfallFor(db: Database, workspaceId: string, required: number): Promise<Shortfall> {
	const row = await db.query.tokenBalance.findFirst({ where: eq(tokenBalance.workspaceId, workspaceId) });
	const available = row?.available ?? 0;
	return { ok: false, shortfall: Math.max(1, required - available), available, required };
}

/** The 402 a route answers with when a reservation does not fit. */
export function insufficientTokens(shortfall: Shortfall): ApiError {
	return new ApiError(
		'insufficient_tokens',
		`This needs ${shortfall.required} tokens and ${shortfall.available} are available: ${shortfall.shortfall} more are needed.`,
		{ required: shortfall.required, available: shortfall.available, shortfall: shortfall.shortfall }
	);
}

// ---------------------------------------------------------------- credits: grant, purchase

export type CreditInput = Common & { kind: 'grant' | 'purchase'; amount: number; reference?: string | null };

export function creditStatements(db: Database, input: CreditInput): Planned {
	const common = base(input);
	const amount = assertTokenAmount(input.amount);
	const reference = input.reference == null ? null : assertReference(input.reference);
	if (input.kind === 'purchase' && reference === null) throw new ApiError('invalid_request', 'A purchase needs a reference.');
	const id = crypto.randomUUID();
	return {
		workspaceId: common.workspaceId,
		entryIds: [id],
		statements: [
			ensureBalanceRowStatement(db, common.workspaceId, common.createdAt),
			...entryStatements(db, { ...common, id, kind: input.kind, amount, reference, onDuplicate: 'skip' })
		]
	};
}

export type Credited = { applied: boolean; entry: LedgerEntryRow | null };

async function credit(db: Database, input: CreditInput): Promise<Credited> {
	const planned = creditStatements(db, input);
	const entries = await execute(db, planned).catch(ledgerFailure);
	const entry = entries.get(planned.entryIds[0]!) ?? null;
	return { applied: entry !== null, entry };
}

/** Free tokens. With a reference, at most once per reference (a replay is `applied: false`). */
export const grant = (db: Database, input: Omit<CreditInput, 'kind'>) => credit(db, { ...input, kind: 'grant' });

/** Paid tokens; the reference (a Stripe checkout session) makes it at most once. */
export const purchase = (db: Database, input: Omit<CreditInput, 'kind'> & { reference: string }) =>
	credit(db, { ...input, kind: 'purchase' });

/** Creates the workspace's balance row (0/0) if it has none. */
export async function ensureBalanceRow(db: Database, workspaceId: string): Promise<void> {
	await db.insert(tokenBalance).values({ workspaceId, available: 0, reserved: 0 }).onConflictDoNothing();
}

/** The free allowance of a new workspace: at most once per workspace, whoever calls it and however often. */
export async function grantSignupTokens(db: Database, workspaceId: string, amount: number): Promise<Credited> {
	if (amount === 0) {
		await ensureBalanceRow(db, workspaceId);
		return { applied: false, entry: null };
	}
	return grant(db, { workspaceId, amount, reference: 'signup', note: 'Free tokens for a new workspace' });
}

// ---------------------------------------------------------------- reservations

export type ReservationItem = { reference: string; amount: number };

/**
 * The seam for writes that must happen only if tokens are reserved for them (link creation):
 * put these statements and yours in ONE `db.batch`, or call `batchWithReservation`. If the
 * workspace cannot cover the total, the batch aborts as a whole and none of your rows exist.
 * Each reference may be reserved once; reusing one aborts the batch too.
 */
export function reservationStatements(db: Database, input: Common & { items: ReservationItem[] }): Planned & { total: number } {
	const common = base(input);
	if (input.items.length === 0) throw new ApiError('invalid_request', 'Nothing to reserve.');
	const entryIds: string[] = [];
	const statements: Statement[] = [ensureBalanceRowStatement(db, common.workspaceId, common.createdAt)];
	let total = 0;
	for (const item of input.items) {
		const amount = assertTokenAmount(item.amount);
		const id = crypto.randomUUID();
		entryIds.push(id);
		total += amount;
		statements.push(
			...entryStatements(db, { ...common, id, kind: 'reserve', amount, reference: assertReference(item.reference), onDuplicate: 'fail' })
		);
	}
	assertTokenAmount(total, 'total reservation');
	return { workspaceId: common.workspaceId, entryIds, total, statements: statements as Planned['statements'] };
}

/**
 * Runs a reservation and the caller's statements in one batch. On success, `results` are the
 * results of the caller's statements, in order. When the balance does not cover it, nothing is
 * written and the shortfall is reported (`insufficientTokens(result)` makes the 402).
 */
export async function batchWithReservation<T extends Statement[]>(
	db: Database,
	reservation: Planned & { total: number },
	statements: [...T]
): Promise<{ ok: true; results: BatchResponse<T> } | Shortfall> {
	try {
		const all = await db.batch([...reservation.statements, ...statements] as unknown as [Statement, ...Statement[]]);
		return { ok: true, results: all.slice(reservation.statements.length) as unknown as BatchResponse<T> };
	} catch (error) {
		if (constraintHit(error) === 'available') return shortfallFor(db, reservation.workspaceId, reservation.total);
		return ledgerFailure(error);
	}
}

/**
 * Reserves `amount` under `reference` (an unlimited link's interview at its start, say).
 * Idempotent per reference: a second call moves nothing and answers `replayed: true`.
 */
export async function reserve(
	db: Database,
	input: Common & ReservationItem
): Promise<{ ok: true; replayed: boolean; entry: LedgerEntryRow | null } | Shortfall> {
	const common = base(input);
	const amount = assertTokenAmount(input.amount);
	const reference = assertReference(input.reference);
	const id = crypto.randomUUID();
	const planned: Planned = {
		workspaceId: common.workspaceId,
		entryIds: [id],
		statements: [
			ensureBalanceRowStatement(db, common.workspaceId, common.createdAt),
			...entryStatements(db, { ...common, id, kind: 'reserve', amount, reference, onDuplicate: 'skip' })
		]
	};
	try {
		const entry = (await execute(db, planned)).get(id) ?? null;
		return { ok: true, replayed: entry === null, entry };
	} catch (error) {
		if (constraintHit(error) === 'available') return shortfallFor(db, common.workspaceId, amount);
		return ledgerFailure(error);
	}
}

// ---------------------------------------------------------------- settlement: release, charge, refund

export type ReleaseInput = Common & {
	reservation: string;
	/** Tokens to leave reserved (interviews still running on a cancelled multi-use link). */
	keep?: number;
};

/** Releases what a reservation still holds (minus `keep`). Once per reservation: later calls move nothing. */
export function releaseStatements(db: Database, input: ReleaseInput): Planned {
	const common = base(input);
	const reservation = assertReference(input.reservation, 'reservation');
	const keep = input.keep ?? 0;
	if (keep !== 0) assertTokenAmount(keep, 'keep');
	const id = crypto.randomUUID();
	const amount = sql`${outstandingSql(common.workspaceId, reservation)} - ${keep}`;
	return {
		workspaceId: common.workspaceId,
		entryIds: [id],
		statements: [
			ensureBalanceRowStatement(db, common.workspaceId, common.createdAt),
			...entryStatements(db, { ...common, id, kind: 'release', amount, reference: reservation, onDuplicate: 'skip' })
		]
	};
}

/** Cancel, expiry and delete of a link: give back what its reservation still holds. */
export async function release(db: Database, input: ReleaseInput): Promise<{ released: number }> {
	const planned = releaseStatements(db, input);
	const entry = (await execute(db, planned).catch(ledgerFailure)).get(planned.entryIds[0]!);
	return { released: entry?.availableDelta ?? 0 };
}

export type SettlementInput = Common & {
	/** The reservation the interview ran on: `link:<id>`, or `interview:<id>` for unlimited links. */
	reservation: string;
	/** What is being settled, unique within the reservation: the interview id. */
	settlement: string;
	usedMs: number;
	tokensPerMinute: number;
	/** This interview's share of the reservation (a multi-use link's duration × price); default: all it holds. */
	cap?: number;
};

/**
 * Completion: charges ceil(minutes used) × price, capped by `cap` and by what the reservation
 * holds, and releases the rest of `cap`. The charge entry is written even when it is 0 and
 * marks the settlement as done: settling the same interview again moves nothing.
 * The interview code puts these statements in its completion batch (record, link status).
 */
export function settlementStatements(db: Database, input: SettlementInput): Planned {
	const common = base(input);
	const reservation = assertReference(input.reservation, 'reservation');
	const settlement = assertReference(input.settlement, 'settlement');
	if (!Number.isSafeInteger(input.usedMs) || input.usedMs < 0) {
		throw new ApiError('invalid_request', 'usedMs must be a whole number of milliseconds, 0 or more.', { usedMs: input.usedMs });
	}
	const price = assertTokenAmount(input.tokensPerMinute, 'tokensPerMinute');
	const cap = input.cap === undefined ? null : assertTokenAmount(input.cap, 'cap');
	const wanted = Math.min(Math.ceil(input.usedMs / 60_000) * price, cap ?? MAX_TOKENS, MAX_TOKENS);
	const reference = settlementReference(reservation, settlement);
	const chargeId = crypto.randomUUID();
	const releaseId = crypto.randomUUID();
	const held = outstandingSql(common.workspaceId, reservation);
	const rest = cap === null ? held : sql`min(${cap} - ${reservedOutflowSql(chargeId)}, ${held})`;
	return {
		workspaceId: common.workspaceId,
		entryIds: [chargeId, releaseId],
		statements: [
			ensureBalanceRowStatement(db, common.workspaceId, common.createdAt),
			...entryStatements(db, {
				...common,
				id: chargeId,
				kind: 'charge',
				amount: sql`max(min(${wanted}, ${held}), 0)`,
				reference,
				allowZero: true,
				onDuplicate: 'skip'
			}),
			...entryStatements(db, {
				...common,
				id: releaseId,
				kind: 'release',
				amount: rest,
				reference,
				when: entryExistsSql(chargeId),
				onDuplicate: 'skip'
			})
		]
	};
}

export type Settled = { charged: number; released: number; replayed: boolean };

export function settledFrom(planned: Planned, entries: Map<string, LedgerEntryRow>): Settled {
	const [chargeId, releaseId] = planned.entryIds;
	const chargeEntry = entries.get(chargeId!);
	return {
		charged: chargeEntry ? -chargeEntry.reservedDelta : 0,
		released: entries.get(releaseId!)?.availableDelta ?? 0,
		replayed: chargeEntry === undefined
	};
}

/** Completion of an interview: charge the minutes used and release the rest of its share. */
export async function charge(db: Database, input: SettlementInput): Promise<Settled> {
	const planned = settlementStatements(db, input);
	const reservationRow = await db.query.ledgerEntry.findFirst({
		columns: { id: true },
		where: (entry, { and, eq }) => and(eq(entry.workspaceId, input.workspaceId), eq(entry.kind, 'reserve'), eq(entry.reference, input.reservation))
	});
	if (!reservationRow) throw new ApiError('not_found', `No reservation ${input.reservation} in this workspace.`);
	return settledFrom(planned, await execute(db, planned).catch(ledgerFailure));
}

/**
 * Gives back tokens charged for one settlement (an interview that failed on our side).
 * At most the amount charged, and once per settlement.
 */
export async function refund(
	db: Database,
	input: Common & { reservation: string; settlement: string; amount?: number }
): Promise<{ refunded: number; replayed: boolean }> {
	const common = base(input);
	const reference = settlementReference(assertReference(input.reservation, 'reservation'), assertReference(input.settlement, 'settlement'));
	const charged = await db.query.ledgerEntry.findFirst({
		where: (entry, { and, eq }) => and(eq(entry.workspaceId, common.workspaceId), eq(entry.kind, 'charge'), eq(entry.reference, reference))
	});
	if (!charged || charged.reservedDelta === 0) throw new ApiError('not_found', 'There is no charge to refund for this settlement.');
	const amount = assertTokenAmount(input.amount ?? -charged.reservedDelta);
	if (amount > -charged.reservedDelta) {
		throw new ApiError('unprocessable', `At most ${-charged.reservedDelta} tokens were charged, so at most that can be refunded.`);
	}
	const id = crypto.randomUUID();
	const planned: Planned = {
		workspaceId: common.workspaceId,
		entryIds: [id],
		statements: [
			ensureBalanceRowStatement(db, common.workspaceId, common.createdAt),
			...entryStatements(db, { ...common, id, kind: 'refund', amount, reference, onDuplicate: 'skip' })
		]
	};
	const entry = (await execute(db, planned).catch(ledgerFailure)).get(id);
	return { refunded: entry?.availableDelta ?? 0, replayed: entry === undefined };
}

/** Runs planned statements built above on their own; for callers that batch them with nothing else. */
export async function runPlanned(db: Database, planned: Planned): Promise<Map<string, LedgerEntryRow>> {
	return execute(db, planned).catch(ledgerFailure);
}
