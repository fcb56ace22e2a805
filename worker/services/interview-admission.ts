import { and, eq } from 'drizzle-orm';
import { CLOSE_CODES } from '../contracts/protocol';
import type { Database } from '../db/client';
import { interview, interviewer, link } from '../db/schema';
import { newId, randomToken, sha256Hex } from '../lib/crypto';
import { errorMentions } from '../lib/errors';
import type { Refusal } from '../lib/socket';
import { release, reserve } from './ledger';
import { interviewShare, tokensPerMinute } from './ledger-pricing';
import { linkState, REFUSALS, type ResolvedLink } from './link-access';
import { isMultiUse } from './link-view';
import { linkReservationReference } from './links';
import { workspaceProvider } from './workspace-ai';

export type InterviewRow = typeof interview.$inferSelect;

export type Admission = { ok: true; interview: InterviewRow; rejoined: boolean; resumeToken: string | null } | { ok: false; refusal: Refusal };

export const REFUSE = {
	inUse: { closeCode: CLOSE_CODES.inUse, code: 'in_use', message: 'This interview link is already in use by another email address.' },
	emailRequired: { closeCode: CLOSE_CODES.badFrame, code: 'email_required', message: 'Enter your email address to join this interview.' },
	insufficientTokens: { closeCode: CLOSE_CODES.insufficientTokens, code: 'insufficient_tokens', message: 'This interview cannot start right now. Please contact the researcher who sent you the link.' }
} satisfies Record<string, Refusal>;

const refuse = (refusal: Refusal): Admission => ({ ok: false, refusal });

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

/** Why a join failed once the batch did not admit it: read the link again, as it is now. */
async function refusalNow(db: Database, linkId: string): Promise<Admission> {
	const state = linkState(await reload(db, linkId));
	return refuse(state === 'open' ? REFUSE.inUse : REFUSALS[state]);
}

/**
 * Admits a new interview in one D1 batch: the guarded link update (open, enabled, not expired;
 * the CHECK on uses aborts the batch past maxUses) and the interview insert, which happens only
 * if that update did (`changes() = 1`). Whatever races, at most maxUses interviews exist.
 */
async function insertInterview(env: Env, db: Database, resolved: ResolvedLink, input: { email: string | null; consent: boolean; resumeTokenHash: string | null; reservedTokens: number; id: string }) {
	const { row } = resolved;
	const now = Date.now();
	const guard = row.kind === 'single' ? `status = 'pending'` : `status IN ('pending', 'active') AND enabled = 1`;
	await env.DB.batch([
		env.DB.prepare(
			`UPDATE link SET uses = uses + 1, status = 'active', last_interview_at = ?1, updated_at = ?1
			 WHERE id = ?2 AND ${guard} AND (expires_at IS NULL OR expires_at > ?1)`
		).bind(now, row.id),
		env.DB.prepare(
			`INSERT INTO interview (id, workspace_id, project_id, interviewer_id, link_id, respondent_email, resume_token_hash, status, provider,
			   consent_at, started_at, deadline_at, reserved_tokens, created_at)
			 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9, ?10, ?11, ?12, ?10 WHERE changes() = 1`
		).bind(input.id, row.workspaceId, row.projectId, row.interviewerId, row.id, input.email, input.resumeTokenHash, await workspaceProvider(env, db, row.workspaceId), input.consent ? now : null, now, now + row.durationMinutes * 60_000, input.reservedTokens)
	]);
	return db.query.interview.findFirst({ where: eq(interview.id, input.id) });
}

/** The first join of a single-use link (the link's Durable Object serialises these). */
export async function admitSingle(env: Env, db: Database, linkId: string, input: { email: string; consent: boolean }): Promise<Admission> {
	const resolved = await reload(db, linkId);
	const state = linkState(resolved);
	if (!resolved || state !== 'open') return refuse(state === 'open' ? REFUSALS.unknown : REFUSALS[state]);
	if (resolved.row.status !== 'pending') return refuse(REFUSE.inUse);
	const share = interviewShare(resolved.row.durationMinutes, tokensPerMinute(env));
	const row = await insertInterview(env, db, resolved, { ...input, resumeTokenHash: null, reservedTokens: share, id: newId() });
	return row ? { ok: true, interview: row, rejoined: false, resumeToken: null } : refusalNow(db, linkId);
}

async function findActive(db: Database, linkId: string, by: { email: string | null; resumeTokenHash: string | null }) {
	const who = by.email ? eq(interview.respondentEmail, by.email) : by.resumeTokenHash ? eq(interview.resumeTokenHash, by.resumeTokenHash) : undefined;
	if (!who) return undefined;
	return db.query.interview.findFirst({ where: and(eq(interview.linkId, linkId), eq(interview.status, 'active'), who) });
}

/**
 * A join of a multi-use link: the same email (or, for anonymous links, the same resume token)
 * rejoins its active interview; anyone else gets a new interview while uses are left.
 */
export async function admitMulti(env: Env, db: Database, resolved: ResolvedLink, hello: { email: string | null; consent: boolean; resumeToken: string | null }): Promise<Admission> {
	const { row } = resolved;
	if (!isMultiUse(row)) throw new Error('admitMulti takes multi-use links');
	const email = row.askEmail ? hello.email : null;
	if (row.askEmail && !email) return refuse(REFUSE.emailRequired);
	const resumeTokenHash = !row.askEmail && hello.resumeToken ? await sha256Hex(hello.resumeToken) : null;
	const existing = await findActive(db, row.id, { email, resumeTokenHash });
	if (existing) return { ok: true, interview: existing, rejoined: true, resumeToken: hello.resumeToken };

	const state = linkState(resolved);
	if (state !== 'open') return refuse(REFUSALS[state]);
	const id = newId();
	const resumeToken = row.askEmail ? null : randomToken(24);
	const share = interviewShare(row.durationMinutes, tokensPerMinute(env));
	const unlimited = row.maxUses === 0;
	const reference = interviewReservation(row, id);
	if (unlimited) {
		const reserved = await reserve(db, { workspaceId: row.workspaceId, reference, amount: share, note: `Interview on ${row.name || 'a link'}` });
		if (!reserved.ok) return refuse(REFUSE.insufficientTokens);
	}
	const giveBack = () => (unlimited ? release(db, { workspaceId: row.workspaceId, reservation: reference, note: 'Interview did not start' }) : Promise.resolve());
	try {
		const created = await insertInterview(env, db, resolved, { email, consent: hello.consent, resumeTokenHash: resumeToken ? await sha256Hex(resumeToken) : null, reservedTokens: share, id });
		if (created) return { ok: true, interview: created, rejoined: false, resumeToken };
		await giveBack();
		return refusalNow(db, row.id);
	} catch (error) {
		await giveBack();
		if (errorMentions(error, 'link_uses_within_cap')) return refuse(REFUSALS.used_up);
		if (errorMentions(error, 'interview_active_respondent_unique') || errorMentions(error, 'interview.link_id, interview.respondent_email')) {
			const raced = await findActive(db, row.id, { email, resumeTokenHash });
			if (raced) return { ok: true, interview: raced, rejoined: true, resumeToken: null };
		}
		throw error;
	}
}
