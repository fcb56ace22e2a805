import { createExecutionContext, env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { createApi } from '../../worker/api/app';
import { createDatabase } from '../../worker/db/client';
import { ledgerEntry } from '../../worker/db/schema';
import { auditBalance } from '../../worker/services/ledger';
import { callJson, ORIGIN, type Credentials, type TestUser } from './helpers/api';

/** Shared by the billing route tests. */

export const db = createDatabase(env.DB);
const api = createApi();
export const STRIPE_KEY = 'sk_test_parley_fake_0123456789';
export const WEBHOOK_SECRET = 'whsec_test_parley_0123456789';
export const withStripe = { STRIPE_SECRET_KEY: STRIPE_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } satisfies Partial<Env>;

export type Balance = { available: number; reserved: number; usedThisMonth: number };

/** Calls the API with some settings changed (a Stripe key, say), as a browser on the app's origin. */
export async function callWith(
	overrides: Partial<Env>,
	path: string,
	init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string>; as?: Credentials } = {}
): Promise<{ status: number; body: any; headers: Headers }> {
	const headers = new Headers({ Origin: ORIGIN, ...init.headers });
	let body = init.body;
	if (init.json !== undefined) {
		headers.set('Content-Type', 'application/json');
		body = JSON.stringify(init.json);
	}
	if (init.as?.cookie) headers.set('Cookie', init.as.cookie);
	const request = new Request(`${ORIGIN}${path}`, { method: init.method ?? 'GET', headers, body });
	const response = await api.fetch(request, { ...env, ...overrides }, createExecutionContext());
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		// not JSON (CSV)
	}
	return { status: response.status, body: parsed, headers: response.headers };
}

export async function balanceOf(user: TestUser): Promise<Balance> {
	const { status, body } = await callJson<Balance>('/api/billing/balance', { as: user.as });
	expect(status).toBe(200);
	return body;
}

export async function entriesOf(workspaceId: string) {
	return db.select().from(ledgerEntry).where(eq(ledgerEntry.workspaceId, workspaceId));
}

/** The ledger and balance of a workspace, to compare before and after a request that must change nothing. */
export async function snapshot(workspaceId: string) {
	const audit = await auditBalance(db, workspaceId);
	expect(audit.consistent).toBe(true);
	return { balance: audit.balance, entries: audit.entries };
}
