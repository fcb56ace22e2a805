import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../worker/db/client';
import { workspace } from '../../worker/db/schema';
import { ApiError } from '../../worker/lib/errors';
import { charge, grant, reserve } from '../../worker/services/ledger';
import { csvField, csvRow, ledgerCsv } from '../../worker/services/ledger';
import { getBalance, listEntries } from '../../worker/services/ledger';

const db = createDatabase(env.DB);
const at = (iso: string) => Date.parse(iso);

async function newWorkspace(): Promise<string> {
	const id = crypto.randomUUID();
	await db.insert(workspace).values({ id, name: 'read test' });
	return id;
}

/** A ledger with entries spread over two months, written with explicit times. */
async function seededLedger() {
	const workspaceId = await newWorkspace();
	await grant(db, { workspaceId, amount: 100, note: 'start', now: at('2026-10-05T10:00:00Z') });
	await reserve(db, { workspaceId, reference: 'link:old', amount: 10, now: at('2026-10-20T10:00:00Z') });
	await charge(db, {
		workspaceId,
		reservation: 'link:old',
		settlement: 'iv',
		usedMs: 180_000,
		tokensPerMinute: 1,
		now: at('2026-10-31T23:59:59Z')
	});
	await reserve(db, { workspaceId, reference: 'link:new', amount: 10, now: at('2026-11-01T00:00:00Z') });
	await charge(db, {
		workspaceId,
		reservation: 'link:new',
		settlement: 'iv',
		usedMs: 300_000,
		tokensPerMinute: 1,
		now: at('2026-11-02T08:00:00Z')
	});
	return workspaceId;
}

describe('balance', () => {
	it('usedThisMonth sums the charges of the current calendar month in UTC only', async () => {
		const workspaceId = await seededLedger();
		expect(await getBalance(db, workspaceId, new Date('2026-11-15T12:00:00Z'))).toEqual({ available: 92, reserved: 0, usedThisMonth: 5 });
		expect((await getBalance(db, workspaceId, new Date('2026-10-31T23:59:59Z'))).usedThisMonth).toBe(3);
		expect((await getBalance(db, workspaceId, new Date('2026-12-01T00:00:00Z'))).usedThisMonth).toBe(0);
	});

	it('a workspace without a balance row has a zero balance', async () => {
		expect(await getBalance(db, await newWorkspace())).toEqual({ available: 0, reserved: 0, usedThisMonth: 0 });
	});
});

describe('listing entries', () => {
	it('pages newest first with a cursor, without gaps or repeats', async () => {
		const workspaceId = await seededLedger();
		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await listEntries(db, workspaceId, { limit: 3, cursor });
			seen.push(...page.entries.map((entry) => entry.id));
			cursor = page.nextCursor ?? undefined;
			pages++;
		} while (cursor);
		const all = await listEntries(db, workspaceId, { limit: 100 });
		expect(all.entries).toHaveLength(7);
		expect(all.nextCursor).toBeNull();
		expect(pages).toBe(3);
		expect(seen).toEqual(all.entries.map((entry) => entry.id));
		const times = all.entries.map((entry) => Date.parse(entry.createdAt));
		expect([...times].sort((a, b) => b - a)).toEqual(times);
	});

	it('filters by kind and by a half-open date range', async () => {
		const workspaceId = await seededLedger();
		const charges = await listEntries(db, workspaceId, { kinds: ['charge'] });
		expect(charges.entries.map((entry) => entry.reservedDelta)).toEqual([-5, -3]);
		const november = await listEntries(db, workspaceId, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
		expect(november.entries.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['reserve', 'charge', 'release']));
		expect(november.entries.every((entry) => entry.createdAt >= '2026-11-01')).toBe(true);
		expect(november.entries).toHaveLength(3);
		const octoberGrantsAndCharges = await listEntries(db, workspaceId, {
			kinds: ['grant', 'charge'],
			to: new Date('2026-11-01T00:00:00Z')
		});
		expect(octoberGrantsAndCharges.entries.map((entry) => entry.kind)).toEqual(['charge', 'grant']);
	});

	it('never shows another workspace its entries', async () => {
		const mine = await seededLedger();
		const theirs = await newWorkspace();
		expect((await listEntries(db, theirs)).entries).toHaveLength(0);
		expect((await listEntries(db, mine)).entries.length).toBeGreaterThan(0);
	});

	it('refuses a cursor it did not issue', async () => {
		const workspaceId = await newWorkspace();
		const error = await listEntries(db, workspaceId, { cursor: 'not-a-cursor' }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).code).toBe('invalid_request');
	});
});

describe('CSV', () => {
	it('quotes commas, quotes and line breaks, and defuses formulas in text but not in numbers', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvField(-12)).toBe('-12');
		expect(csvField(null)).toBe('');
		expect(
			csvRow({
				id: 'e1',
				kind: 'grant',
				availableDelta: 5,
				reservedDelta: 0,
				reference: null,
				note: 'Dev top-up, no payment: x',
				actorId: null,
				createdAt: '2026-11-01T00:00:00.000Z'
			})
		).toBe('e1,2026-11-01T00:00:00.000Z,grant,5,0,,"Dev top-up, no payment: x",');
	});

	it('streams a header and every matching entry across pages', async () => {
		const workspaceId = await newWorkspace();
		for (let index = 0; index < 3; index++) await grant(db, { workspaceId, amount: 1, note: `grant, number ${index}` });
		const text = await new Response(ledgerCsv(db, workspaceId, {})).text();
		const lines = text.split('\r\n');
		expect(lines[0]).toBe('id,created_at,kind,available_delta,reserved_delta,reference,note,actor_id');
		expect(lines.at(-1)).toBe('');
		expect(lines.slice(1, -1)).toHaveLength(3);
		expect(lines[1]).toMatch(/,grant,1,0,,"grant, number \d",$/);
	});
});
