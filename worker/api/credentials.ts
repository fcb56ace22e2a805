import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { user } from '../db/schema';
import type { Principal } from '../lib/principal';
import { authenticateApiKey, getAuth, resolveSessionWorkspace } from '../services/accounts';
import { signupTokens } from '../services/ledger';
import type { Account } from './context';

/**
 * The two credentials Parley accepts — an API key, or better-auth's session cookie — read the same
 * way by the API's middleware and by the observer socket, which is not a Hono route.
 */
export type Caller = { principal: Principal; account: Account };

/** The secret of an `Authorization: Bearer <secret>` header, or null when the header has another shape. */
export function bearerSecret(authorization: string): string | null {
	return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
}

/** The caller an API key acts for, with the write that records its use; null for an unknown or revoked key. */
export async function apiKeyCaller(db: Database, secret: string): Promise<(Caller & { touch: () => Promise<unknown> }) | null> {
	const result = await authenticateApiKey(db, secret);
	if (!result) return null;
	const creator = await db.query.user.findFirst({ where: eq(user.id, result.principal.userId) });
	if (!creator) return null;
	return { principal: result.principal, account: { id: creator.id, name: creator.name, email: creator.email }, touch: result.touch };
}

type SessionAccount = Account & { currentWorkspaceId?: string | null };

/** The signed-in account of a request's session cookie, or null; nothing is written. */
export async function sessionAccount(env: Env, request: Request): Promise<SessionAccount | null> {
	const session = await getAuth(env, request.url).api.getSession({ headers: request.headers });
	return session ? (session.user as SessionAccount) : null;
}

/** The caller a session speaks for, in its current workspace (set up on first use). */
export async function sessionCaller(env: Env, db: Database, account: SessionAccount): Promise<Caller> {
	const { workspaceId, role } = await resolveSessionWorkspace(db, account, signupTokens(env));
	return {
		principal: { userId: account.id, workspaceId, role, method: 'session' },
		account: { id: account.id, name: account.name, email: account.email }
	};
}
