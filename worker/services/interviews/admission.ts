import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { interview, interviewer, link } from '../../db/schema';
import { newId, randomToken, sha256Hex } from '../../lib/crypto';
import { errorMentions } from '../../lib/errors';
import type { Refusal, SocketError } from '../../lib/socket';
import type { CheckedHello } from './hello';
import { release, reserve } from '../ledger';
import { interviewShare, tokensPerMinute } from '../ledger';
import { linkState, REFUSALS, type ResolvedLink } from '../links';
import { isMultiUse } from '../links';
import { linkReservationReference } from '../links';
import { notifyInterviewStarted } from '../webhooks';
import { sendRejoinCode, verifyRejoinCode } from './rejoin-proof';
import { workspaceProvider } from '../interviewers';
import { anyQuotaFull, countTowardsQuotasSql, quotasOpenSql, screenJoin, SCREENER_REFUSALS, type ScreenedJoin } from '../screeners';
import { now as clockNow } from '../../lib/clock';

export type InterviewRow = typeof interview.$inferSelect;

export type Admission =
	| { ok: true; interview: InterviewRow; rejoined: boolean; resumeToken: string | null }
	/** The email has an interview running and this browser must prove it owns the address. */
	| { ok: 'verify'; email: string; expiresInMs: number }
	| { ok: false; refusal: Refusal }
	/** A mistyped code: the socket stays open for another hello. */
	| { ok: 'retry'; error: SocketError };

export const REFUSE = {
	inUse: { code: 'in_use', message: 'This interview link is already in use by another email address.' },
	insufficientTokens: {
		code: 'insufficient_tokens',
		message: 'This interview cannot start right now. Please contact the researcher who sent you the link.'
	}
} satisfies Record<string, Refusal>;

const refuse = (refusal: Refusal): Admission => ({ ok: false, refusal });
type Admitted = Extract<ScreenedJoin, { ok: true }>;

/** Durable Object names: a single-use link's one interview lives in the link's object; others in their own. */
export const linkObjectName = (linkId: string) => `link:${linkId}`;
export const interviewObjectName = (row: { id: string; linkId: string }, linkKind: string) =>
	linkKind === 'single' ? linkObjectName(row.linkId) : `interview:${row.id}`;

export const interviewReservation = (row: { kind: string; maxUses: number; id: string }, interviewId: string) =>
	row.kind === 'single' || row.maxUses > 0 ? linkReservationReference(row.id) : `interview:${interviewId}`;

async function reload(db: Database, linkId: string): Promise<ResolvedLink | null> {
	const row = await db.query.link.findFirst({ where: eq(link.id, linkId) });
	const owner = row ? await db.query.interviewer.findFirst({ where: eq(interviewer.id, row.interviewerId) }) : undefined;
	return row && owner ? { row, owner } : null;
}

/**
 * The link as it is at `hello` time, through the token the socket came with: a socket opened
 * before a regenerate holds a token that no longer resolves, whatever it was when it connected.
 */
async function reloadByToken(db: Database, linkId: string, token: string): Promise<ResolvedLink | null> {
	const resolved = await reload(db, linkId);
	return resolved && resolved.row.token === token ? resolved : null;
}

/** Why a join failed once the batch did not admit it: read the link again, as it is now, then its quotas. */
async function refusalNow(db: Database, linkId: string, token: string, quotaIds: readonly string[]): Promise<Admission> {
	const state = linkState(await reloadByToken(db, linkId, token));
	if (state !== 'open') return refuse(REFUSALS[state]);
	return refuse((await anyQuotaFull(db, quotaIds)) ? SCREENER_REFUSALS.quotaFull : REFUSE.inUse);
}

/**
 * Admits a new interview in one D1 batch: the guarded link update (the token the socket came
 * with, open, enabled, not expired, its interviewer live; the CHECK on uses aborts the batch past
 * maxUses) and the interview insert, which happens only if that update did (`changes() = 1`).
 * The same update checks the quotas the join's screener answers fall into, and the batch records the
 * interview's slot in them: whatever races with it (joins, a regenerate, the interviewer going
 * offline), at most maxUses interviews exist, no quota is overfilled, and none starts on a revoked
 * token or an offline interviewer.
 */
async function insertInterview(
	env: Env,
	db: Database,
	resolved: ResolvedLink,
	input: { email: string | null; resumeTokenHash: string | null; reservedTokens: number; id: string; screened: Admitted }
) {
	const quotaIds = JSON.stringify(input.screened.quotaIds);
	const { row } = resolved;
	// The interview's own times are the Durable Object's, which runs on real time; expiry is judged by the server clock.
	const now = Date.now();
	const guard = row.kind === 'single' ? `status = 'pending'` : `status IN ('pending', 'active') AND enabled = 1`;
	await env.DB.batch([
		env.DB.prepare(
			`UPDATE link SET uses = uses + 1, status = 'active', last_interview_at = ?1, updated_at = ?1
			 WHERE id = ?2 AND token = ?3 AND ${guard} AND (expires_at IS NULL OR expires_at > ?4)
			   AND EXISTS (SELECT 1 FROM interviewer WHERE interviewer.id = link.interviewer_id AND interviewer.status = 'live')
			   AND ${quotasOpenSql('?5')}`
		).bind(now, row.id, row.token, clockNow(), quotaIds),
		env.DB.prepare(
			`INSERT INTO interview (id, workspace_id, project_id, interviewer_id, link_id, respondent_email, resume_token_hash, status, provider,
			   consent_at, started_at, deadline_at, reserved_tokens, screener_answers, created_at)
			 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9, ?9, ?10, ?11, ?12, ?9 WHERE changes() = 1`
		).bind(
			input.id,
			row.workspaceId,
			row.projectId,
			row.interviewerId,
			row.id,
			input.email,
			input.resumeTokenHash,
			await workspaceProvider(env, db, row.workspaceId),
			now,
			now + row.durationMinutes * 60_000,
			input.reservedTokens,
			input.screened.recorded ? JSON.stringify(input.screened.recorded) : null
		),
		env.DB.prepare(countTowardsQuotasSql('?1', '?2')).bind(input.id, quotaIds)
	]);
	const created = await db.query.interview.findFirst({ where: eq(interview.id, input.id) });
	if (created) await notifyInterviewStarted(env, created);
	return created;
}

/** The first join of a single-use link (the link's Durable Object serialises these). */
export async function admitSingle(
	env: Env,
	db: Database,
	linkId: string,
	token: string,
	hello: Pick<CheckedHello, 'screener'> & { email: string }
): Promise<Admission> {
	const resolved = await reloadByToken(db, linkId, token);
	const state = linkState(resolved);
	if (!resolved || state !== 'open') return refuse(state === 'open' ? REFUSALS.unknown : REFUSALS[state]);
	if (resolved.row.status !== 'pending') return refuse(REFUSE.inUse);
	const screened = await screenJoin(db, resolved.row, hello.screener);
	if (!screened.ok) return refuse(screened.refusal);
	const share = interviewShare(resolved.row.durationMinutes, tokensPerMinute(env));
	const input = { email: hello.email, resumeTokenHash: null, reservedTokens: share, id: newId(), screened };
	const row = await insertInterview(env, db, resolved, input);
	return row ? { ok: true, interview: row, rejoined: false, resumeToken: null } : refusalNow(db, linkId, token, screened.quotaIds);
}

async function findActive(db: Database, linkId: string, who: { email: string } | { resumeTokenHash: string }) {
	const match = 'email' in who ? eq(interview.respondentEmail, who.email) : eq(interview.resumeTokenHash, who.resumeTokenHash);
	return db.query.interview.findFirst({ where: and(eq(interview.linkId, linkId), eq(interview.status, 'active'), match) });
}

/** A proven rejoin from another browser: it gets a new resume token, and the old one stops working. */
async function handOver(db: Database, row: InterviewRow): Promise<Admission> {
	const resumeToken = randomToken(24);
	await db
		.update(interview)
		.set({ resumeTokenHash: await sha256Hex(resumeToken) })
		.where(and(eq(interview.id, row.id), eq(interview.status, 'active')));
	return { ok: true, interview: row, rejoined: true, resumeToken };
}

/**
 * Rejoining the running interview of an email on a multi-use link. The browser that started it
 * holds its resume token and simply rejoins; any other browser proves the email with a mailed code.
 */
async function rejoinByEmail(env: Env, db: Database, existing: InterviewRow, hello: CheckedHello): Promise<Admission> {
	if (hello.resumeToken && existing.resumeTokenHash === (await sha256Hex(hello.resumeToken))) {
		return { ok: true, interview: existing, rejoined: true, resumeToken: hello.resumeToken };
	}
	if (hello.rejoinCode) {
		const verified = await verifyRejoinCode(db, existing.id, hello.rejoinCode);
		return verified.ok === true ? handOver(db, existing) : verified;
	}
	const sent = await sendRejoinCode(env, db, existing);
	return sent.ok ? { ok: 'verify', email: existing.respondentEmail!, expiresInMs: sent.expiresInMs } : refuse(sent.refusal);
}

/**
 * A join of a multi-use link, at `hello` time: the link is read again through the socket's
 * token; the same respondent rejoins its active interview (proven by resume token or mailed
 * code); anyone else gets a new interview while uses are left.
 */
export async function admitMulti(env: Env, db: Database, linkId: string, token: string, hello: CheckedHello): Promise<Admission> {
	const resolved = await reloadByToken(db, linkId, token);
	if (!resolved) return refuse(REFUSALS.unknown);
	const { row } = resolved;
	if (!isMultiUse(row)) throw new Error('admitMulti takes multi-use links');
	const email = row.askEmail ? hello.email : null;
	const resumeTokenHash = hello.resumeToken ? await sha256Hex(hello.resumeToken) : null;
	if (email) {
		const existing = await findActive(db, row.id, { email });
		if (existing) return rejoinByEmail(env, db, existing, hello);
	} else if (resumeTokenHash) {
		const existing = await findActive(db, row.id, { resumeTokenHash });
		if (existing) return { ok: true, interview: existing, rejoined: true, resumeToken: hello.resumeToken };
	}

	const state = linkState(resolved);
	if (state !== 'open') return refuse(REFUSALS[state]);
	const screened = await screenJoin(db, row, hello.screener);
	if (!screened.ok) return refuse(screened.refusal);
	const id = newId();
	const resumeToken = randomToken(24);
	const share = interviewShare(row.durationMinutes, tokensPerMinute(env));
	const unlimited = row.maxUses === 0;
	const reference = interviewReservation(row, id);
	if (unlimited) {
		const reserved = await reserve(db, {
			workspaceId: row.workspaceId,
			reference,
			amount: share,
			note: `Interview on ${row.name || 'a link'}`
		});
		if (!reserved.ok) return refuse(REFUSE.insufficientTokens);
	}
	const giveBack = () =>
		unlimited ? release(db, { workspaceId: row.workspaceId, reservation: reference, note: 'Interview did not start' }) : Promise.resolve();
	try {
		const created = await insertInterview(env, db, resolved, {
			email,
			resumeTokenHash: await sha256Hex(resumeToken),
			reservedTokens: share,
			id,
			screened
		});
		if (created) return { ok: true, interview: created, rejoined: false, resumeToken };
		await giveBack();
		return refusalNow(db, row.id, token, screened.quotaIds);
	} catch (error) {
		await giveBack();
		if (errorMentions(error, 'link_uses_within_cap')) return refuse(REFUSALS.used_up);
		if (
			email &&
			(errorMentions(error, 'interview_active_respondent_unique') || errorMentions(error, 'interview.link_id, interview.respondent_email'))
		) {
			const raced = await findActive(db, row.id, { email });
			if (raced) return rejoinByEmail(env, db, raced, hello);
		}
		throw error;
	}
}
