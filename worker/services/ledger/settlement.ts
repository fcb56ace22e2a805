import { eq, sql, type SQL } from 'drizzle-orm';
import { tokenBalance } from '../../db/schema';
import type { Database } from '../../db/client';
import { ApiError } from '../../lib/errors';
import {
	assertReference,
	assertTokenAmount,
	base,
	MAX_TOKENS,
	runPlanned,
	singleEntryPlan,
	type Common,
	type LedgerEntryRow,
	type Planned
} from './core';
import {
	ensureBalanceRowStatement,
	entryExistsSql,
	entryStatements,
	insertEntriesSelect,
	outstandingSql,
	reservedOutflowSql,
	settlementReference,
	type Statement
} from './sql';

/**
 * Settling reservations: release (cancel, expiry, delete), charge on completion, refund.
 * Each is made against a named reservation and never takes more than it still holds.
 */

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
	const amount = sql`${outstandingSql(common.workspaceId, reservation)} - ${keep}`;
	return singleEntryPlan(db, common, { kind: 'release', amount, reference: reservation, onDuplicate: 'skip' });
}

/** Cancel, expiry and delete of a link: give back what its reservation still holds. */
export async function release(db: Database, input: ReleaseInput): Promise<{ released: number }> {
	const planned = releaseStatements(db, input);
	const entry = (await runPlanned(db, planned)).get(planned.entryIds[0]!);
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
		charged: chargeEntry ? Math.abs(chargeEntry.reservedDelta) : 0,
		released: entries.get(releaseId!)?.availableDelta ?? 0,
		replayed: chargeEntry === undefined
	};
}

/** Completion of an interview: charge the minutes used and release the rest of its share. */
export async function charge(db: Database, input: SettlementInput): Promise<Settled> {
	const planned = settlementStatements(db, input);
	const reservationRow = await db.query.ledgerEntry.findFirst({
		columns: { id: true },
		where: (entry, { and, eq }) =>
			and(eq(entry.workspaceId, input.workspaceId), eq(entry.kind, 'reserve'), eq(entry.reference, input.reservation))
	});
	if (!reservationRow) throw new ApiError('not_found', `No reservation ${input.reservation} in this workspace.`);
	return settledFrom(planned, await runPlanned(db, planned));
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
	const planned = singleEntryPlan(db, common, { kind: 'refund', amount, reference, onDuplicate: 'skip' });
	const entry = (await runPlanned(db, planned)).get(planned.entryIds[0]!);
	return { refunded: entry?.availableDelta ?? 0, replayed: entry === undefined };
}

export type ReleaseManyInput = Common & {
	/** A SELECT of `reference` (a reservation) and `keep` (tokens to leave reserved) per row. */
	reservations: SQL;
};

/**
 * Releases what many reservations still hold (each minus its `keep`) in three statements, however
 * many there are: one release entry per reservation (once per reservation, like `release`), then
 * the balance moved by exactly the sum of the entries this call wrote. Entry ids share a prefix
 * unique to the call, which is how the balance update finds them.
 */
export function releaseManyStatements(db: Database, input: ReleaseManyInput): Statement[] {
	const common = base(input);
	const prefix = `${crypto.randomUUID()}:`;
	const upper = `${prefix.slice(0, -1)};`;
	const workspace = common.workspaceId;
	const held = sql`(SELECT coalesce(sum(e.reserved_delta), 0) FROM ledger_entry e
		WHERE e.workspace_id = ${workspace} AND e.kind IN ('reserve', 'charge', 'release')
		AND e.reference >= r.reference AND e.reference < r.reference || '$')`;
	const written = (column: SQL) =>
		sql`coalesce((SELECT sum(${column}) FROM ledger_entry WHERE workspace_id = ${workspace} AND id > ${prefix} AND id < ${upper}), 0)`;
	const entries = insertEntriesSelect(
		db,
		{
			id: sql`${prefix} || x.reference`,
			workspaceId: sql`${workspace}`,
			kind: sql`'release'`,
			availableDelta: sql`x.amount`,
			reservedDelta: sql`-x.amount`,
			reference: sql`x.reference`,
			note: sql`${common.note}`,
			actorId: sql`${common.actorId}`,
			createdAt: sql`${common.createdAt}`
		},
		sql`(SELECT r.reference AS reference, ${held} - r.keep AS amount FROM (${input.reservations}) r) AS x`,
		sql`x.amount > 0`
	).onConflictDoNothing();
	const balance = db
		.update(tokenBalance)
		.set({
			available: sql`${tokenBalance.available} + ${written(sql`available_delta`)}`,
			reserved: sql`${tokenBalance.reserved} + ${written(sql`reserved_delta`)}`,
			updatedAt: new Date(common.createdAt)
		})
		.where(eq(tokenBalance.workspaceId, workspace));
	return [ensureBalanceRowStatement(db, workspace, common.createdAt), entries, balance];
}

export type ResizeInput = Common & {
	/** The reservation that grows (delta > 0) or shrinks (delta < 0): a link's, when its max uses change. */
	reservation: string;
	delta: number;
};

/**
 * A reservation grown or shrunk by `delta` tokens: one reserve or release entry under a reference of
 * its own within the reservation (so the reservation's outstanding amount includes it) and its
 * balance change. Put these statements right after the write they depend on: the entry is written
 * only if that statement changed a row (`changes() = 1`), so a replay that changes nothing moves nothing.
 */
export function resizeStatements(db: Database, input: ResizeInput): Statement[] {
	const common = base(input);
	const reservation = assertReference(input.reservation, 'reservation');
	const amount = assertTokenAmount(Math.abs(input.delta), 'change');
	const id = crypto.randomUUID();
	return entryStatements(db, {
		...common,
		id,
		kind: input.delta > 0 ? 'reserve' : 'release',
		amount,
		reference: settlementReference(reservation, `resize-${id}`),
		when: sql`changes() = 1`,
		onDuplicate: 'fail'
	});
}
