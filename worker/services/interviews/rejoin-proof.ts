import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rejoinChallenge } from '../../db/schema';
import { sha256Hex } from '../../lib/crypto';
import type { Refusal, SocketError } from '../../lib/socket';
import { createMailer } from '../accounts';

/**
 * Proof of an email before a multi-use interview is handed to a browser that does not hold its
 * resume token: a 6-digit code mailed to the address, good for 10 minutes and 5 tries. Until it
 * is proven, that browser sees nothing of the interview and the one in it is not displaced.
 */
export const REJOIN_CODE_TTL_MS = 10 * 60_000;
export const REJOIN_CODE_TRIES = 5;
/** A code is mailed again at most once a minute, and at most this many times per interview. */
const RESEND_AFTER_MS = 60_000;
const MAX_SENDS = 5;

const WRONG_CODE: SocketError = { code: 'rejoin_code_invalid', message: 'That code is not right. Check the latest email and try again.' };
const EXPIRED: SocketError = { code: 'rejoin_code_expired', message: 'That code has expired or was tried too often. Ask for a new one.' };
const LOCKED: Refusal = {
	code: 'rejoin_locked',
	message: 'Too many wrong codes. Try again later, or finish the interview in the browser where you started it.'
};

type Interview = { id: string; respondentEmail: string | null };

const codeHash = (interviewId: string, code: string) => sha256Hex(`rejoin:${interviewId}:${code}`);

function newCode(): string {
	const [value] = crypto.getRandomValues(new Uint32Array(1));
	return String(value! % 1_000_000).padStart(6, '0');
}

/**
 * Makes sure a live code exists for this interview and was mailed: a new one unless a fresh one
 * was sent under a minute ago. Returns how long the live code stays valid, or a refusal once the
 * interview has had its share of codes.
 */
export async function sendRejoinCode(
	env: Env,
	db: Database,
	interview: Interview,
	now = Date.now()
): Promise<{ ok: true; expiresInMs: number } | { ok: false; refusal: Refusal }> {
	const email = interview.respondentEmail;
	if (!email) return { ok: false, refusal: LOCKED };
	const current = await db.query.rejoinChallenge.findFirst({ where: eq(rejoinChallenge.interviewId, interview.id) });
	const fresh =
		current &&
		current.expiresAt.getTime() > now &&
		current.attempts < REJOIN_CODE_TRIES &&
		now - current.sentAt.getTime() < RESEND_AFTER_MS;
	if (current && fresh) return { ok: true, expiresInMs: current.expiresAt.getTime() - now };
	if (current && current.sends >= MAX_SENDS) return { ok: false, refusal: LOCKED };

	const code = newCode();
	const values = {
		codeHash: await codeHash(interview.id, code),
		attempts: 0,
		sentAt: new Date(now),
		expiresAt: new Date(now + REJOIN_CODE_TTL_MS)
	};
	const written = await db
		.insert(rejoinChallenge)
		.values({ interviewId: interview.id, sends: 1, ...values })
		.onConflictDoUpdate({
			target: rejoinChallenge.interviewId,
			set: { ...values, sends: sql`${rejoinChallenge.sends} + 1` },
			setWhere: and(lt(rejoinChallenge.sends, MAX_SENDS), lt(rejoinChallenge.sentAt, new Date(now - RESEND_AFTER_MS + 1)))
		})
		.returning({ interviewId: rejoinChallenge.interviewId });
	// Another join raced us and sent a code a moment ago: that one stands.
	if (written.length === 0) return { ok: true, expiresInMs: REJOIN_CODE_TTL_MS };
	await createMailer(env).send({
		to: email,
		subject: `Your interview code: ${code}`,
		text: `Someone asked to continue your interview in another browser.\n\nYour code: ${code}\n\nIt works for 10 minutes. If it was not you, ignore this mail: nobody can join your interview without the code.`
	});
	return { ok: true, expiresInMs: REJOIN_CODE_TTL_MS };
}

/**
 * Checks a code. Each check uses one of the tries, whatever the outcome, in one guarded write;
 * a correct code is used up at once so it cannot be replayed.
 */
export async function verifyRejoinCode(
	db: Database,
	interviewId: string,
	code: string,
	now = Date.now()
): Promise<{ ok: true } | { ok: false; refusal: Refusal } | { ok: 'retry'; error: SocketError }> {
	const [challenge] = await db
		.update(rejoinChallenge)
		.set({ attempts: sql`${rejoinChallenge.attempts} + 1` })
		.where(
			and(
				eq(rejoinChallenge.interviewId, interviewId),
				lt(rejoinChallenge.attempts, REJOIN_CODE_TRIES),
				gt(rejoinChallenge.expiresAt, new Date(now))
			)
		)
		.returning();
	if (!challenge) {
		const existing = await db.query.rejoinChallenge.findFirst({ where: eq(rejoinChallenge.interviewId, interviewId) });
		const locked = existing && existing.attempts >= REJOIN_CODE_TRIES && existing.sends >= MAX_SENDS;
		return locked ? { ok: false, refusal: LOCKED } : { ok: 'retry', error: EXPIRED };
	}
	if (challenge.codeHash !== (await codeHash(interviewId, code))) {
		return { ok: 'retry', error: challenge.attempts >= REJOIN_CODE_TRIES ? EXPIRED : WRONG_CODE };
	}
	await db
		.update(rejoinChallenge)
		.set({ expiresAt: new Date(0) })
		.where(eq(rejoinChallenge.interviewId, interviewId));
	return { ok: true };
}
