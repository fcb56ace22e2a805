import { z } from 'zod';
import { Balance } from './api';
import { NextCursor, PageQuery } from './pagination';

/** Billing request and response shapes, shared by the worker (validation, OpenAPI) and web/. */
export { Balance };

export const LEDGER_KINDS = ['grant', 'purchase', 'reserve', 'release', 'charge', 'refund'] as const;
export const LedgerKind = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof LedgerKind>;

export const LedgerEntry = z.object({
	id: z.string(),
	kind: LedgerKind,
	/** Signed change of the available tokens. */
	availableDelta: z.number().int(),
	/** Signed change of the reserved tokens. */
	reservedDelta: z.number().int(),
	reference: z.string().nullable(),
	note: z.string().nullable(),
	actorId: z.string().nullable(),
	createdAt: z.string()
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerPage = z.object({ entries: z.array(LedgerEntry), nextCursor: NextCursor });
export type LedgerPage = z.infer<typeof LedgerPage>;

const instant = z
	.string()
	.max(40)
	.refine(
		(value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
		'Use an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z.'
	)
	.transform((value) => new Date(value));

export const LedgerQuery = z
	.object({
		...PageQuery.shape,
		/** One kind, or several separated by commas. */
		kind: z
			.string()
			.max(100)
			.transform((value) => value.split(',').map((kind) => kind.trim()))
			.pipe(z.array(LedgerKind).min(1))
			.optional(),
		/** Entries at or after this instant. */
		from: instant.optional(),
		/** Entries before this instant. */
		to: instant.optional(),
		format: z.enum(['json', 'csv']).default('json')
	})
	.refine((query) => !query.from || !query.to || query.from < query.to, { message: '`from` must be before `to`.', path: ['from'] });

export const TokenPackage = z.object({
	id: z.string(),
	name: z.string(),
	tokens: z.number().int(),
	/** The price in the smallest unit of the currency (cents). */
	priceCents: z.number().int(),
	currency: z.string()
});
export type TokenPackage = z.infer<typeof TokenPackage>;

export const PackageList = z.object({
	packages: z.array(TokenPackage),
	tokensPerMinute: z.number().int(),
	/** `stripe` when checkout is configured; `dev` when only the local dev top-up is available; `none` otherwise. */
	checkout: z.enum(['stripe', 'dev', 'none'])
});
export type PackageList = z.infer<typeof PackageList>;

export const PackageChoice = z.object({ packageId: z.string().trim().min(1).max(64) });
export const CheckoutSession = z.object({ url: z.string() });
export const DevTopUp = z.object({ entry: LedgerEntry, balance: Balance });

export const WebhookAck = z.object({
	received: z.literal(true),
	/** Tokens credited by this delivery (0 for a replay or an event that credits nothing). */
	credited: z.number().int(),
	ignored: z.string().optional()
});
