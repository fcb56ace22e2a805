import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { ApiKey } from '../../contracts/api';
import type { Database } from '../../db/client';
import { apiKey, membership } from '../../db/schema';
import { newId, randomToken, sha256Hex } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';
import { assertRole, hasRole, lowerRole, type Principal } from '../../lib/principal';

const KEY_PREFIX = 'pk_';
const LAST_USED_RESOLUTION_MS = 60_000;

type ApiKeyRow = typeof apiKey.$inferSelect;

function toApiKey(row: ApiKeyRow): ApiKey {
	return {
		id: row.id,
		name: row.name,
		prefix: row.prefix,
		role: row.role,
		createdAt: row.createdAt.toISOString(),
		lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
		revokedAt: row.revokedAt?.toISOString() ?? null
	};
}

/** The secret is returned once; only its SHA-256 is stored. */
export async function createApiKey(db: Database, principal: Principal, input: { name: string; role: 'admin' | 'member' }) {
	assertRole(principal, 'admin', 'create API keys');
	if (!hasRole(principal, input.role)) throw new ApiError('forbidden', 'An API key cannot have more rights than you.');
	const secret = `${KEY_PREFIX}${randomToken(32)}`;
	const row: ApiKeyRow = {
		id: newId(),
		workspaceId: principal.workspaceId,
		name: input.name,
		prefix: secret.slice(0, KEY_PREFIX.length + 6),
		role: input.role,
		keyHash: await sha256Hex(secret),
		createdBy: principal.userId,
		createdAt: new Date(),
		lastUsedAt: null,
		revokedAt: null
	};
	await db.insert(apiKey).values(row);
	return { apiKey: toApiKey(row), secret };
}

export async function listApiKeys(db: Database, principal: Principal): Promise<ApiKey[]> {
	assertRole(principal, 'admin', 'manage API keys');
	const rows = await db.select().from(apiKey).where(eq(apiKey.workspaceId, principal.workspaceId)).orderBy(desc(apiKey.createdAt));
	return rows.map(toApiKey);
}

export async function revokeApiKey(db: Database, principal: Principal, keyId: string): Promise<void> {
	assertRole(principal, 'admin', 'manage API keys');
	const row = await db.query.apiKey.findFirst({ where: and(eq(apiKey.id, keyId), eq(apiKey.workspaceId, principal.workspaceId)) });
	if (!row) throw new ApiError('not_found', 'API key not found.');
	if (!row.revokedAt) await db.update(apiKey).set({ revokedAt: new Date() }).where(eq(apiKey.id, keyId));
}

/**
 * Resolves `Authorization: Bearer pk_…` to a principal. A key acts for its creator, so on every
 * request it gets the lower of its own role and the creator's current one: demoting the creator
 * demotes the key at once, and a key stops working when revoked or when its creator has left.
 */
export async function authenticateApiKey(
	db: Database,
	secret: string
): Promise<{ principal: Principal; touch: () => Promise<unknown> } | null> {
	if (!secret.startsWith(KEY_PREFIX) || secret.length > 128) return null;
	const row = await db.query.apiKey.findFirst({ where: and(eq(apiKey.keyHash, await sha256Hex(secret)), isNull(apiKey.revokedAt)) });
	if (!row) return null;
	const creator = await db.query.membership.findFirst({
		where: and(eq(membership.workspaceId, row.workspaceId), eq(membership.userId, row.createdBy))
	});
	if (!creator) return null;
	const cutoff = new Date(Date.now() - LAST_USED_RESOLUTION_MS);
	return {
		principal: {
			userId: row.createdBy,
			workspaceId: row.workspaceId,
			role: lowerRole(row.role, creator.role),
			method: 'api_key',
			apiKeyId: row.id
		},
		touch: () =>
			db
				.update(apiKey)
				.set({ lastUsedAt: new Date() })
				.where(and(eq(apiKey.id, row.id), or(isNull(apiKey.lastUsedAt), lt(apiKey.lastUsedAt, cutoff))))
	};
}
