import { env } from 'cloudflare:workers';
import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../worker/db/client';
import { devOutbox, ledgerEntry, tokenBalance, workspace } from '../../worker/db/schema';
import { ApiError } from '../../worker/lib/errors';
import {
	batchWithLedger,
	batchWithReservation,
	charge,
	grant,
	grantSignupTokens,
	purchase,
	refund,
	release,
	reservationStatements,
	reserve,
	settledFrom,
	settlementStatements
} from '../../worker/services/ledger';
import { linkReservation, interviewShare, usageCharge } from '../../worker/services/ledger';
import { auditBalance, getBalance } from '../../worker/services/ledger';

const db = createDatabase(env.DB);
const MINUTE = 60_000;

/** A fresh workspace holding `tokens` available tokens, granted through the ledger. */
async function newWorkspace(tokens = 0): Promise<string> {
	const id = crypto.randomUUID();
	await db.insert(workspace).values({ id, name: `ledger test ${id.slice(0, 8)}` });
	if (tokens > 0) await grant(db, { workspaceId: id, amount: tokens, note: 'test funds' });
	return id;
}

async function balanceRow(workspaceId: string) {
	const row = await db.query.tokenBalance.findFirst({ where: eq(tokenBalance.workspaceId, workspaceId) });
	return { available: row?.available ?? 0, reserved: row?.reserved ?? 0 };
}

async function entryCount(workspaceId: string) {
	return (await db.select({ id: ledgerEntry.id }).from(ledgerEntry).where(eq(ledgerEntry.workspaceId, workspaceId))).length;
}

async function expectConsistent(workspaceId: string) {
	const audit = await auditBalance(db, workspaceId);
	expect(audit.balance).toEqual(audit.fromEntries);
	expect(audit.consistent).toBe(true);
	return audit;
}

/** A row of another table written in the same batch as a reservation: the stand-in for a link row. */
const linkRowStand_in = (workspaceId: string, label: string) =>
	db.insert(devOutbox).values({ id: crypto.randomUUID(), to: `${workspaceId}/${label}`, subject: 'link', text: label });

async function linkRows(workspaceId: string) {
	return db
		.select()
		.from(devOutbox)
		.where(like(devOutbox.to, `${workspaceId}/%`));
}

async function expectApiError(promise: Promise<unknown>, code: string) {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(ApiError);
	expect((error as ApiError).code).toBe(code);
}

describe('the race for tokens', () => {
	it('30 parallel reservations against a balance covering 7: exactly 7 succeed, available never below 0, sums equal the balance', async () => {
		const amount = 10;
		const covered = 7;
		const workspaceId = await newWorkspace(covered * amount + 5);

		// A read of the balance row is queued right behind each reservation, so the reads land
		// between the racing batches: every one must see available >= 0 and a whole batch.
		const read = () =>
			env.DB.prepare('SELECT available, reserved FROM token_balance WHERE workspace_id = ?')
				.bind(workspaceId)
				.first<{ available: number; reserved: number }>();
		const racing: Promise<Awaited<ReturnType<typeof reserve>>>[] = [];
		const reads: ReturnType<typeof read>[] = [];
		for (let index = 0; index < 30; index++) {
			racing.push(reserve(db, { workspaceId, reference: `interview:race-${index}`, amount }));
			reads.push(read());
		}
		const outcomes = await Promise.all(racing);
		const snapshots = (await Promise.all(reads)).map((row) => row!);

		const won = outcomes.filter((outcome) => outcome.ok);
		const lost = outcomes.filter((outcome) => !outcome.ok);
		expect(won).toHaveLength(covered);
		expect(lost).toHaveLength(30 - covered);
		for (const outcome of lost) {
			expect(outcome).toMatchObject({ ok: false, required: amount });
			if (!outcome.ok) expect(outcome.shortfall).toBeGreaterThanOrEqual(1);
		}

		for (const snapshot of snapshots) {
			expect(snapshot.available).toBeGreaterThanOrEqual(0);
			expect(snapshot.available + snapshot.reserved).toBe(covered * amount + 5);
		}
		// Some reads really were taken mid-race, between the first and the last successful reservation.
		expect(snapshots.some((snapshot) => snapshot.available > 5 && snapshot.available < covered * amount + 5)).toBe(true);
		expect(await balanceRow(workspaceId)).toEqual({ available: 5, reserved: covered * amount });
		const audit = await expectConsistent(workspaceId);
		expect(audit.entries).toBe(1 + covered);
	});

	it('the CHECK constraint itself refuses a negative available, whatever the statement', async () => {
		const workspaceId = await newWorkspace(5);
		const error = await env.DB.prepare('UPDATE token_balance SET available = available - 6 WHERE workspace_id = ?')
			.bind(workspaceId)
			.run()
			.catch((caught: unknown) => caught);
		expect(String(error)).toContain('token_balance_available_non_negative');
		expect(await balanceRow(workspaceId)).toEqual({ available: 5, reserved: 0 });
	});

	it('30 parallel link batches through the reservation seam: only the batches that reserved leave rows behind', async () => {
		const workspaceId = await newWorkspace(100);
		const outcomes = await Promise.all(
			Array.from({ length: 30 }, (_, index) => {
				const reservation = reservationStatements(db, { workspaceId, items: [{ reference: `link:seam-${index}`, amount: 30 }] });
				return batchWithReservation(db, reservation, [linkRowStand_in(workspaceId, `seam-${index}`)]);
			})
		);
		expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(3);
		expect(await linkRows(workspaceId)).toHaveLength(3);
		expect(await balanceRow(workspaceId)).toEqual({ available: 10, reserved: 90 });
		await expectConsistent(workspaceId);
	});

	it('a batch that does not fit writes none of its rows and reports the shortfall', async () => {
		const workspaceId = await newWorkspace(25);
		const reservation = reservationStatements(db, {
			workspaceId,
			items: [
				{ reference: 'link:a', amount: 10 },
				{ reference: 'link:b', amount: 10 },
				{ reference: 'link:c', amount: 10 }
			]
		});
		const outcome = await batchWithReservation(db, reservation, [linkRowStand_in(workspaceId, 'a'), linkRowStand_in(workspaceId, 'b')]);
		expect(outcome).toEqual({ ok: false, required: 30, available: 25, shortfall: 5 });
		expect(await linkRows(workspaceId)).toHaveLength(0);
		expect(await balanceRow(workspaceId)).toEqual({ available: 25, reserved: 0 });
		expect(await entryCount(workspaceId)).toBe(1);
	});

	it('a reference reserved twice aborts the second batch, its rows included', async () => {
		const workspaceId = await newWorkspace(100);
		const first = reservationStatements(db, { workspaceId, items: [{ reference: 'link:same', amount: 10 }] });
		expect((await batchWithReservation(db, first, [linkRowStand_in(workspaceId, 'first')])).ok).toBe(true);
		const second = reservationStatements(db, { workspaceId, items: [{ reference: 'link:same', amount: 10 }] });
		await expectApiError(batchWithReservation(db, second, [linkRowStand_in(workspaceId, 'second')]), 'conflict');
		expect((await linkRows(workspaceId)).map((row) => row.text)).toEqual(['first']);
		expect(await balanceRow(workspaceId)).toEqual({ available: 90, reserved: 10 });
	});
});

describe('the life of a reservation', () => {
	it('single link: reserve duration × price, charge ceil(minutes) × price on completion, release the rest', async () => {
		const price = 3;
		const workspaceId = await newWorkspace(100);
		const amount = linkReservation({ kind: 'single', durationMinutes: 5 }, price);
		expect(amount).toBe(15);
		const reservation = reservationStatements(db, { workspaceId, items: [{ reference: 'link:single', amount }] });
		expect((await batchWithReservation(db, reservation, [])).ok).toBe(true);
		expect(await balanceRow(workspaceId)).toEqual({ available: 85, reserved: 15 });

		// 61 seconds are two started minutes: 6 tokens charged, 9 released.
		const settled = await charge(db, {
			workspaceId,
			reservation: 'link:single',
			settlement: 'iv-1',
			usedMs: 61_000,
			tokensPerMinute: price
		});
		expect(settled).toEqual({ charged: 6, released: 9, replayed: false });
		expect(await balanceRow(workspaceId)).toEqual({ available: 94, reserved: 0 });
		expect((await getBalance(db, workspaceId)).usedThisMonth).toBe(6);

		// Alarms are at-least-once: settling again moves nothing; a later expiry of the link releases nothing.
		expect(
			await charge(db, { workspaceId, reservation: 'link:single', settlement: 'iv-1', usedMs: 61_000, tokensPerMinute: price })
		).toEqual({
			charged: 0,
			released: 0,
			replayed: true
		});
		expect(await release(db, { workspaceId, reservation: 'link:single', note: 'link expired' })).toEqual({ released: 0 });
		expect(await balanceRow(workspaceId)).toEqual({ available: 94, reserved: 0 });
		await expectConsistent(workspaceId);
	});

	it('the charge is capped by the reservation, and whole minutes are not rounded up', async () => {
		const workspaceId = await newWorkspace(50);
		await reserve(db, { workspaceId, reference: 'link:capped', amount: 10 });
		expect(
			await charge(db, { workspaceId, reservation: 'link:capped', settlement: 'iv', usedMs: 14 * MINUTE, tokensPerMinute: 1 })
		).toMatchObject({
			charged: 10,
			released: 0
		});
		await reserve(db, { workspaceId, reference: 'link:exact', amount: 10 });
		expect(
			await charge(db, { workspaceId, reservation: 'link:exact', settlement: 'iv', usedMs: 4 * MINUTE, tokensPerMinute: 1 })
		).toMatchObject({
			charged: 4,
			released: 6
		});
		expect(await balanceRow(workspaceId)).toEqual({ available: 36, reserved: 0 });
		expect(usageCharge(4 * MINUTE + 1, 1)).toBe(5);
		await expectConsistent(workspaceId);
	});

	it('an interview that used nothing is charged 0 and releases everything', async () => {
		const workspaceId = await newWorkspace(20);
		await reserve(db, { workspaceId, reference: 'link:unused-run', amount: 10 });
		expect(await charge(db, { workspaceId, reservation: 'link:unused-run', settlement: 'iv', usedMs: 0, tokensPerMinute: 1 })).toEqual({
			charged: 0,
			released: 10,
			replayed: false
		});
		expect(await balanceRow(workspaceId)).toEqual({ available: 20, reserved: 0 });
	});

	it('cancel releases the whole reservation, once', async () => {
		const workspaceId = await newWorkspace(40);
		await reserve(db, { workspaceId, reference: 'link:cancelled', amount: 30 });
		expect(await release(db, { workspaceId, reservation: 'link:cancelled', note: 'link cancelled' })).toEqual({ released: 30 });
		expect(await release(db, { workspaceId, reservation: 'link:cancelled', note: 'link cancelled' })).toEqual({ released: 0 });
		expect(await balanceRow(workspaceId)).toEqual({ available: 40, reserved: 0 });
		await expectConsistent(workspaceId);
	});

	it('expiry releases the whole reservation and leaves other reservations alone', async () => {
		const workspaceId = await newWorkspace(40);
		await reserve(db, { workspaceId, reference: 'link:expiring', amount: 12 });
		await reserve(db, { workspaceId, reference: 'link:other', amount: 8 });
		expect(await release(db, { workspaceId, reservation: 'link:expiring', note: 'link expired' })).toEqual({ released: 12 });
		expect(await balanceRow(workspaceId)).toEqual({ available: 32, reserved: 8 });
		// A second release of the same reservation cannot eat into link:other.
		expect(await release(db, { workspaceId, reservation: 'link:expiring' })).toEqual({ released: 0 });
		expect(await balanceRow(workspaceId)).toEqual({ available: 32, reserved: 8 });
		await expectConsistent(workspaceId);
	});

	it('multi-use link with a cap: maxUses × duration × price up front, each interview settles its share, cancel releases the unused uses', async () => {
		const price = 2;
		const workspaceId = await newWorkspace(100);
		const amount = linkReservation({ kind: 'public', durationMinutes: 10, maxUses: 3 }, price);
		const share = interviewShare(10, price);
		expect([amount, share]).toEqual([60, 20]);
		await reserve(db, { workspaceId, reference: 'link:multi', amount });

		const first = { workspaceId, reservation: 'link:multi', tokensPerMinute: price, cap: share };
		expect(await charge(db, { ...first, settlement: 'iv-1', usedMs: 3 * MINUTE + 10_000 })).toEqual({
			charged: 8,
			released: 12,
			replayed: false
		});
		expect(await charge(db, { ...first, settlement: 'iv-2', usedMs: 25 * MINUTE })).toEqual({ charged: 20, released: 0, replayed: false });
		expect(await balanceRow(workspaceId)).toEqual({ available: 52, reserved: 20 });

		// One interview is still running when the link is cancelled: its share stays reserved.
		expect(await release(db, { workspaceId, reservation: 'link:multi', keep: share, note: 'link cancelled' })).toEqual({ released: 0 });
		expect(await charge(db, { ...first, settlement: 'iv-3', usedMs: 5 * MINUTE })).toEqual({ charged: 10, released: 10, replayed: false });
		expect(await balanceRow(workspaceId)).toEqual({ available: 62, reserved: 0 });
		expect((await getBalance(db, workspaceId)).usedThisMonth).toBe(38);
		await expectConsistent(workspaceId);
	});

	it('multi-use link cancelled before any use releases everything', async () => {
		const workspaceId = await newWorkspace(100);
		await reserve(db, {
			workspaceId,
			reference: 'link:multi-unused',
			amount: linkReservation({ kind: 'private', durationMinutes: 5, maxUses: 4 }, 1)
		});
		expect(await release(db, { workspaceId, reservation: 'link:multi-unused' })).toEqual({ released: 20 });
		expect(await balanceRow(workspaceId)).toEqual({ available: 100, reserved: 0 });
	});

	it('unlimited link: nothing up front, each interview reserves at its start, and is refused when short', async () => {
		const workspaceId = await newWorkspace(25);
		expect(linkReservation({ kind: 'public', durationMinutes: 10, maxUses: 0 }, 1)).toBe(0);
		const share = interviewShare(10, 1);

		expect(await reserve(db, { workspaceId, reference: 'interview:u1', amount: share })).toMatchObject({ ok: true, replayed: false });
		expect(await reserve(db, { workspaceId, reference: 'interview:u1', amount: share })).toMatchObject({ ok: true, replayed: true });
		expect(await reserve(db, { workspaceId, reference: 'interview:u2', amount: share })).toMatchObject({ ok: true });
		const refused = await reserve(db, { workspaceId, reference: 'interview:u3', amount: share });
		expect(refused).toEqual({ ok: false, required: 10, available: 5, shortfall: 5 });
		expect(await balanceRow(workspaceId)).toEqual({ available: 5, reserved: 20 });

		expect(
			await charge(db, { workspaceId, reservation: 'interview:u1', settlement: 'end', usedMs: 7 * MINUTE + 1, tokensPerMinute: 1 })
		).toEqual({
			charged: 8,
			released: 2,
			replayed: false
		});
		expect(await balanceRow(workspaceId)).toEqual({ available: 7, reserved: 10 });
		await expectConsistent(workspaceId);
	});

	it('settlement statements join the interview completion batch: all or nothing', async () => {
		const workspaceId = await newWorkspace(30);
		await reserve(db, { workspaceId, reference: 'link:batched', amount: 10 });
		const planned = settlementStatements(db, {
			workspaceId,
			reservation: 'link:batched',
			settlement: 'iv',
			usedMs: 90_000,
			tokensPerMinute: 1
		});
		const { entries, results } = await batchWithLedger(db, planned, [linkRowStand_in(workspaceId, 'record')]);
		expect(settledFrom(planned, entries)).toEqual({ charged: 2, released: 8, replayed: false });
		expect(results).toHaveLength(1);
		expect(await linkRows(workspaceId)).toHaveLength(1);
	});

	it('refund gives back at most what one settlement charged, once', async () => {
		const workspaceId = await newWorkspace(30);
		await reserve(db, { workspaceId, reference: 'link:refunded', amount: 10 });
		await charge(db, { workspaceId, reservation: 'link:refunded', settlement: 'iv', usedMs: 6 * MINUTE, tokensPerMinute: 1 });
		await expectApiError(refund(db, { workspaceId, reservation: 'link:refunded', settlement: 'iv', amount: 7 }), 'unprocessable');
		expect(await refund(db, { workspaceId, reservation: 'link:refunded', settlement: 'iv', amount: 4, note: 'provider outage' })).toEqual({
			refunded: 4,
			replayed: false
		});
		expect(await refund(db, { workspaceId, reservation: 'link:refunded', settlement: 'iv', amount: 4 })).toEqual({
			refunded: 0,
			replayed: true
		});
		expect(await balanceRow(workspaceId)).toEqual({ available: 28, reserved: 0 });
		await expectConsistent(workspaceId);
	});
});

describe('credits', () => {
	it('the signup grant happens once per workspace, however often and concurrently it is asked for', async () => {
		const workspaceId = await newWorkspace();
		const results = await Promise.all(Array.from({ length: 5 }, () => grantSignupTokens(db, workspaceId, 120)));
		expect(results.filter((result) => result.applied)).toHaveLength(1);
		expect(await balanceRow(workspaceId)).toEqual({ available: 120, reserved: 0 });
		await expectConsistent(workspaceId);
	});

	it('a purchase reference is credited once', async () => {
		const workspaceId = await newWorkspace();
		expect((await purchase(db, { workspaceId, amount: 500, reference: 'checkout:cs_test_1' })).applied).toBe(true);
		expect((await purchase(db, { workspaceId, amount: 500, reference: 'checkout:cs_test_1' })).applied).toBe(false);
		expect(await balanceRow(workspaceId)).toEqual({ available: 500, reserved: 0 });
	});
});

describe('bad input changes nothing', () => {
	const badAmounts: unknown[] = [-1, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 10_000_001, 2 ** 53, '10', null];

	it.each(badAmounts)('amount %s is refused by every movement', async (amount) => {
		const workspaceId = await newWorkspace(50);
		await reserve(db, { workspaceId, reference: 'link:held', amount: 10 });
		const before = { balance: await balanceRow(workspaceId), entries: await entryCount(workspaceId) };
		const bad = amount as number;

		await expectApiError(grant(db, { workspaceId, amount: bad }), 'invalid_request');
		await expectApiError(purchase(db, { workspaceId, amount: bad, reference: 'checkout:bad' }), 'invalid_request');
		await expectApiError(reserve(db, { workspaceId, reference: 'interview:bad', amount: bad }), 'invalid_request');
		await expectApiError(
			Promise.resolve().then(() => reservationStatements(db, { workspaceId, items: [{ reference: 'link:bad', amount: bad }] })),
			'invalid_request'
		);
		await expectApiError(
			charge(db, { workspaceId, reservation: 'link:held', settlement: 'iv', usedMs: 60_000, tokensPerMinute: bad }),
			'invalid_request'
		);
		await expectApiError(
			charge(db, { workspaceId, reservation: 'link:held', settlement: 'iv', usedMs: 60_000, tokensPerMinute: 1, cap: bad }),
			'invalid_request'
		);
		// keep: 0 is the default ("keep nothing"), so it is not a bad value there.
		if (bad !== 0 && bad !== null)
			await expectApiError(release(db, { workspaceId, reservation: 'link:held', keep: bad }), 'invalid_request');

		expect({ balance: await balanceRow(workspaceId), entries: await entryCount(workspaceId) }).toEqual(before);
	});

	it('refuses bad references, negative usage, a charge against no reservation, and a total over the maximum', async () => {
		const workspaceId = await newWorkspace(50);
		const before = { balance: await balanceRow(workspaceId), entries: await entryCount(workspaceId) };
		await expectApiError(reserve(db, { workspaceId, reference: 'link:has#hash', amount: 1 }), 'invalid_request');
		await expectApiError(reserve(db, { workspaceId, reference: '', amount: 1 }), 'invalid_request');
		await expectApiError(reserve(db, { workspaceId, reference: 'x'.repeat(201), amount: 1 }), 'invalid_request');
		await expectApiError(
			charge(db, { workspaceId, reservation: 'link:none', settlement: 'iv', usedMs: -1, tokensPerMinute: 1 }),
			'invalid_request'
		);
		await expectApiError(
			charge(db, { workspaceId, reservation: 'link:none', settlement: 'iv', usedMs: 1.5, tokensPerMinute: 1 }),
			'invalid_request'
		);
		await expectApiError(
			charge(db, { workspaceId, reservation: 'link:none', settlement: 'iv', usedMs: 60_000, tokensPerMinute: 1 }),
			'not_found'
		);
		await expectApiError(
			Promise.resolve().then(() =>
				reservationStatements(db, {
					workspaceId,
					items: [
						{ reference: 'link:big1', amount: 6_000_000 },
						{ reference: 'link:big2', amount: 6_000_000 }
					]
				})
			),
			'invalid_request'
		);
		await expectApiError(grant(db, { workspaceId, amount: 1, note: 'n'.repeat(501) }), 'invalid_request');
		expect({ balance: await balanceRow(workspaceId), entries: await entryCount(workspaceId) }).toEqual(before);
	});

	it('a reservation larger than the balance is refused without writing anything', async () => {
		const workspaceId = await newWorkspace(9);
		const before = await entryCount(workspaceId);
		expect(await reserve(db, { workspaceId, reference: 'interview:too-big', amount: 10 })).toEqual({
			ok: false,
			required: 10,
			available: 9,
			shortfall: 1
		});
		expect(await entryCount(workspaceId)).toBe(before);
		expect(await balanceRow(workspaceId)).toEqual({ available: 9, reserved: 0 });
		const stray = await db
			.select()
			.from(ledgerEntry)
			.where(and(eq(ledgerEntry.workspaceId, workspaceId), eq(ledgerEntry.kind, 'reserve')));
		expect(stray).toHaveLength(0);
	});
});
