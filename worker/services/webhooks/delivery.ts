import { and, eq, sql } from 'drizzle-orm';
import { changesOf, createDatabase, type Database } from '../../db/client';
import { webhookDelivery, webhookEndpoint, webhookEvent } from '../../db/schema';
import { logInfo } from '../../lib/log';
import { enqueueJob } from '../../jobs/queue';
import { checkWebhookAddress } from './address';
import { addressPolicy } from './dns';
import { disableFailingEndpoint, GIVE_UP_AFTER_MS } from './failing';
import { signatureHeader } from './signing';

export const DELIVERY_TIMEOUT_MS = 10_000;
const FIRST_RETRY_SECONDS = 30;
const LONGEST_RETRY_SECONDS = 6 * 60 * 60;
/** While an attempt runs, the delivery is not due: a duplicate message or the sweep leaves it alone. */
const ATTEMPT_LEASE_MS = 5 * 60 * 1000;

/** Exponential backoff: 30 s, 1 min, 2 min, … up to 6 h between attempts, for three days. */
export const retryDelaySeconds = (attempts: number) =>
	Math.min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));

type Outcome = { kind: 'delivered' | 'retry' | 'failed'; responseStatus: number | null; error: string | null; durationMs: number | null };

/** 5xx, 408 and 429 may pass later; any other answer is the receiver's final word. */
const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

async function post(env: Env, url: string, secret: string, event: { id: string; type: string; body: string }): Promise<Outcome> {
	const check = await checkWebhookAddress(url, addressPolicy(env));
	if (!check.ok) return { kind: 'retry', responseStatus: null, error: check.reason, durationMs: null };
	const started = Date.now();
	try {
		const response = await fetch(check.url.toString(), {
			method: 'POST',
			redirect: 'manual',
			signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
			headers: {
				'Content-Type': 'application/json',
				'User-Agent': 'Parley-Webhooks/1',
				'Parley-Event-Id': event.id,
				'Parley-Event-Type': event.type,
				'Parley-Signature': await signatureHeader(secret, event.body, Math.floor(Date.now() / 1000))
			},
			body: event.body
		});
		await response.body?.cancel();
		const durationMs = Date.now() - started;
		if (response.status >= 200 && response.status < 300)
			return { kind: 'delivered', responseStatus: response.status, error: null, durationMs };
		const error =
			response.status >= 300 && response.status < 400 ? 'Redirects are not followed.' : `The endpoint answered ${response.status}.`;
		return { kind: retryableStatus(response.status) ? 'retry' : 'failed', responseStatus: response.status, error, durationMs };
	} catch (error) {
		const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
		const message = timedOut ? `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s.` : 'Could not connect to the endpoint.';
		return { kind: 'retry', responseStatus: null, error: message, durationMs: Date.now() - started };
	}
}

async function loadDelivery(db: Database, workspaceId: string, deliveryId: string) {
	const [row] = await db
		.select({ delivery: webhookDelivery, endpoint: webhookEndpoint, event: webhookEvent })
		.from(webhookDelivery)
		.innerJoin(webhookEndpoint, eq(webhookEndpoint.id, webhookDelivery.endpointId))
		.innerJoin(webhookEvent, eq(webhookEvent.id, webhookDelivery.eventId))
		.where(and(eq(webhookDelivery.id, deliveryId), eq(webhookDelivery.workspaceId, workspaceId)));
	return row;
}

/**
 * One attempt of one delivery (the `webhook.deliver` job). The attempt is claimed first, so two
 * copies of the message never post twice at once; a failure that may pass later is retried with
 * backoff by queueing the job again with a delay, for three days from the first attempt.
 */
export async function deliverWebhook(env: Env, job: { workspaceId: string; deliveryId: string }): Promise<void> {
	const db = createDatabase(env.DB);
	const row = await loadDelivery(db, job.workspaceId, job.deliveryId);
	if (!row || row.delivery.status !== 'pending') return;
	const { delivery, endpoint, event } = row;
	const now = new Date();
	if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > now.getTime() + 1000) return;
	if (!endpoint.enabled) {
		await db
			.update(webhookDelivery)
			.set({ status: 'failed', error: 'The endpoint is disabled.', nextAttemptAt: null })
			.where(eq(webhookDelivery.id, delivery.id));
		return;
	}
	const claim = await db
		.update(webhookDelivery)
		.set({
			attempts: delivery.attempts + 1,
			lastAttemptAt: now,
			firstAttemptAt: delivery.firstAttemptAt ?? now,
			nextAttemptAt: new Date(now.getTime() + ATTEMPT_LEASE_MS)
		})
		.where(
			and(eq(webhookDelivery.id, delivery.id), eq(webhookDelivery.status, 'pending'), eq(webhookDelivery.attempts, delivery.attempts))
		);
	if (changesOf(claim) !== 1) return;

	const outcome = await post(env, endpoint.url, endpoint.secret, event);
	const attempts = delivery.attempts + 1;
	const firstAttemptAt = delivery.firstAttemptAt ?? now;
	const givesUp = outcome.kind === 'retry' && Date.now() - firstAttemptAt.getTime() >= GIVE_UP_AFTER_MS;
	const status = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'failed' || givesUp ? 'failed' : 'pending';
	const delay = retryDelaySeconds(attempts);
	await db
		.update(webhookDelivery)
		.set({
			status,
			responseStatus: outcome.responseStatus,
			error: outcome.error,
			durationMs: outcome.durationMs,
			nextAttemptAt: status === 'pending' ? new Date(Date.now() + delay * 1000) : null
		})
		.where(eq(webhookDelivery.id, delivery.id));
	logInfo('webhook.attempt', {
		deliveryId: delivery.id,
		eventType: event.type,
		attempts,
		status,
		responseStatus: outcome.responseStatus,
		error: outcome.error
	});

	if (outcome.kind === 'delivered') {
		await db.update(webhookEndpoint).set({ failingSince: null }).where(eq(webhookEndpoint.id, endpoint.id));
		return;
	}
	await db
		.update(webhookEndpoint)
		.set({ failingSince: sql`coalesce(${webhookEndpoint.failingSince}, ${now.getTime()})` })
		.where(eq(webhookEndpoint.id, endpoint.id));
	const failingSince = endpoint.failingSince ?? now;
	if (Date.now() - failingSince.getTime() >= GIVE_UP_AFTER_MS) await disableFailingEndpoint(env, db, endpoint);
	else if (status === 'pending')
		await enqueueJob(env, { type: 'webhook.deliver', workspaceId: job.workspaceId, deliveryId: delivery.id }, { delaySeconds: delay });
}
