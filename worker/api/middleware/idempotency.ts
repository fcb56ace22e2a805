import { and, eq, isNull } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { requirePrincipal } from '../context';
import { idempotencyKey } from '../../db/schema';
import { sha256Hex } from '../../lib/crypto';
import { ApiError } from '../../lib/errors';

/**
 * `Idempotency-Key` for money-moving requests. The first request with a key claims it for the
 * workspace (an INSERT that only one request can win); its 2xx response is stored and every
 * later request with that key gets the same status and body back, and runs nothing.
 *  - the same key while the first request is still running: 409 `conflict`;
 *  - the same key with a different method, path or body: 422 `unprocessable`;
 *  - a response that is not 2xx is not kept: the key is freed, so the client may retry.
 * A request without the header runs normally.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;
/** A claim this old whose request never finished (the isolate died) may be taken over. */
const ABANDONED_CLAIM_MS = 5 * 60 * 1000;

export function parseIdempotencyKey(raw: string | undefined): string | null {
	if (raw === undefined) return null;
	if (!KEY_PATTERN.test(raw) || raw.trim() === '') {
		throw new ApiError('invalid_request', `The ${IDEMPOTENCY_HEADER} header must be 1 to 200 printable ASCII characters.`, {
			reason: 'idempotency_key_invalid'
		});
	}
	return raw;
}

/** Route middleware: `createRoute({ middleware: [idempotent('billing.checkout')], ... })`. */
export function idempotent(scope: string): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
		if (key === null) return next();
		const { workspaceId } = requirePrincipal(c);
		const db = c.get('db');
		const body = await c.req.text();
		const requestHash = await sha256Hex(`${c.req.method} ${c.req.path}\n${body}`);
		const owned = and(eq(idempotencyKey.workspaceId, workspaceId), eq(idempotencyKey.key, key));

		const claimed = await db
			.insert(idempotencyKey)
			.values({ workspaceId, key, scope, requestHash, status: null, responseBody: null, createdAt: new Date() })
			.onConflictDoNothing()
			.returning({ key: idempotencyKey.key });

		if (claimed.length === 0) {
			const existing = await db.query.idempotencyKey.findFirst({ where: owned });
			if (!existing)
				throw new ApiError('conflict', 'This Idempotency-Key changed state mid-request. Retry.', { reason: 'idempotency_retry' });
			if (existing.scope !== scope || existing.requestHash !== requestHash) {
				throw new ApiError(
					'unprocessable',
					`This ${IDEMPOTENCY_HEADER} was already used for a different request. Send a new key for a new request.`,
					{ reason: 'idempotency_key_reused' }
				);
			}
			if (existing.status !== null) {
				return new Response(existing.responseBody, {
					status: existing.status,
					headers: { 'Content-Type': 'application/json', [REPLAYED_HEADER]: 'true' }
				});
			}
			const abandoned = Date.now() - existing.createdAt.getTime() > ABANDONED_CLAIM_MS;
			const takenOver = abandoned
				? await db
						.update(idempotencyKey)
						.set({ createdAt: new Date() })
						.where(and(owned, isNull(idempotencyKey.status), eq(idempotencyKey.createdAt, existing.createdAt)))
						.returning({ key: idempotencyKey.key })
				: [];
			if (takenOver.length === 0) {
				throw new ApiError('conflict', `A request with this ${IDEMPOTENCY_HEADER} is still in progress. Retry in a moment.`, {
					reason: 'idempotency_in_flight'
				});
			}
		}

		let stored = false;
		try {
			await next();
			const response = c.res;
			if (response.status >= 200 && response.status < 300) {
				const responseBody = await response.clone().text();
				await db
					.update(idempotencyKey)
					.set({ status: response.status, responseBody })
					.where(and(owned, isNull(idempotencyKey.status)));
				stored = true;
			}
		} finally {
			if (!stored) await db.delete(idempotencyKey).where(and(owned, isNull(idempotencyKey.status)));
		}
	};
}
