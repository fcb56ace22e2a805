import { eq } from 'drizzle-orm';
import { runBatch, type Database } from '../../db/client';
import { tokenBalance } from '../../db/schema';
import { ApiError } from '../../lib/errors';
import {
	assertReference,
	assertTokenAmount,
	base,
	ledgerFailure,
	runPlanned,
	singleEntryPlan,
	type Common,
	type LedgerEntryRow,
	type Planned,
	type Shortfall
} from './core';
import { constraintHit, ensureBalanceRowStatement, entryStatements, type Statement } from './sql';

/**
 * Credits (grants, purchases) and reservations. Each entry and its balance change go in one D1
 * batch (see sql.ts for how). Settlement is in settlement.ts, reads in read.ts, prices in pricing.ts.
 *
 * Reservations are named by a reference chosen by the caller (`link:<id>`, `interview:<id>`).
 * Charges and releases are made against a reservation and can never take more than it still
 * holds, so a double release or a late charge cannot leak tokens from other reservations.
 */

export async function shortfallFor(db: Database, workspaceId: string, required: number): Promise<Shortfall> {
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
	return singleEntryPlan(db, common, { kind: input.kind, amount, reference, onDuplicate: 'skip' });
}

export type Credited = { applied: boolean; entry: LedgerEntryRow | null };

async function credit(db: Database, input: CreditInput): Promise<Credited> {
	const planned = creditStatements(db, input);
	const entries = await runPlanned(db, planned);
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

/** The free allowance's one reference makes it at most once per workspace; only personal workspaces get it. */
const SIGNUP_GRANT = { kind: 'grant', reference: 'signup', note: 'Free tokens for a new workspace' } as const;

/** The free allowance as statements, for the batch that creates an account's personal workspace (none when it is 0). */
export function signupGrantStatements(db: Database, workspaceId: string, amount: number, actorId: string | null = null): Statement[] {
	return amount > 0 ? creditStatements(db, { ...SIGNUP_GRANT, workspaceId, amount, actorId }).statements : [];
}

/** The free allowance of a new workspace: at most once per workspace, whoever calls it and however often. */
export async function grantSignupTokens(db: Database, workspaceId: string, amount: number): Promise<Credited> {
	if (amount === 0) {
		await ensureBalanceRow(db, workspaceId);
		return { applied: false, entry: null };
	}
	return credit(db, { ...SIGNUP_GRANT, workspaceId, amount });
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
export async function batchWithReservation(
	db: Database,
	reservation: Planned & { total: number },
	statements: readonly Statement[]
): Promise<{ ok: true; results: unknown[] } | Shortfall> {
	try {
		const all = await runBatch(db, [...reservation.statements, ...statements]);
		return { ok: true, results: all.slice(reservation.statements.length) };
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
	const planned = singleEntryPlan(db, common, { kind: 'reserve', amount, reference, onDuplicate: 'skip' });
	const id = planned.entryIds[0]!;
	try {
		const entry = (await runPlanned(db, planned)).get(id) ?? null;
		return { ok: true, replayed: entry === null, entry };
	} catch (error) {
		if (error instanceof ApiError && error.code === 'insufficient_tokens') return shortfallFor(db, common.workspaceId, amount);
		throw error;
	}
}
