import { createDatabase } from '../worker/db/client';
import { interview } from '../worker/db/schema';
import { eq } from 'drizzle-orm';
import type { Refusal } from '../worker/lib/socket';
import { admitSingle, interviewReservation, REFUSE } from '../worker/services/interviews';
import { checkHello, type Hello } from '../worker/services/interviews';
import { loadInterviewSetup } from '../worker/services/interviews';
import { REFUSALS } from '../worker/services/links';
import { noteRespondentNetwork } from '../worker/services/records';
import type { InterviewStore, SessionState } from './interview-store';
import type { Admission } from './sockets';

export const ADMISSION_HEADER = 'X-Parley-Admission';
export type JoinOutcome = { ok: true; state: SessionState; resumeToken: string | null } | { ok: false; refusal: Refusal };

const ENDED: Refusal = { code: 'interview_ended', message: 'This interview has already ended.' };

/** The wrap-up notice comes a minute before the deadline, or at 80% of a short interview. */
export const wrapUpAt = (startedAt: number, deadlineAt: number) =>
	deadlineAt - Math.min(60_000, Math.round((deadlineAt - startedAt) * 0.2));

/**
 * Admits a `hello` (runs inside blockConcurrencyWhile, so joins never interleave): the first one
 * starts the interview and persists its deadline; later ones must be the same respondent and
 * simply resume. A single-use link binds to its first email; any other is refused with 4403.
 */
export async function admit(env: Env, store: InterviewStore, admission: Admission, hello: Hello): Promise<JoinOutcome> {
	const checked = checkHello(hello, { emailRequired: admission.linkId !== null });
	if (!checked.ok) return checked;
	const { email, language, screener } = checked.hello;

	const existing = store.session;
	if (existing) {
		if (existing.status !== 'active') return { ok: false, refusal: ENDED };
		const sameRespondent = admission.interviewId !== null ? admission.interviewId === existing.interviewId : existing.email === email;
		return sameRespondent ? { ok: true, state: existing, resumeToken: admission.resumeToken } : { ok: false, refusal: REFUSE.inUse };
	}

	const db = createDatabase(env.DB);
	let row;
	if (admission.interviewId) {
		row = await db.query.interview.findFirst({ where: eq(interview.id, admission.interviewId) });
		if (!row || row.status !== 'active') return { ok: false, refusal: ENDED };
		if (row.respondentEmail !== null && row.respondentEmail !== email) return { ok: false, refusal: REFUSE.inUse };
	} else if (admission.linkId && admission.token && email) {
		const admitted = await admitSingle(env, db, admission.linkId, admission.token, { email, screener });
		if (admitted.ok !== true) return { ok: false, refusal: admitted.ok === false ? admitted.refusal : REFUSE.inUse };
		row = admitted.interview;
		await noteRespondentNetwork(db, row.id, admission.networkHash ?? null);
	} else {
		return { ok: false, refusal: REFUSALS.unknown };
	}

	const setup = await loadInterviewSetup(db, row);
	const startedAt = row.startedAt.getTime();
	const deadlineAt = row.deadlineAt.getTime();
	const state = store.saveSession({
		interviewId: row.id,
		linkId: row.linkId,
		workspaceId: row.workspaceId,
		projectId: row.projectId,
		interviewerId: row.interviewerId,
		linkKind: setup.link.kind,
		linkName: setup.link.name,
		email: row.respondentEmail,
		resumeToken: null,
		status: 'active',
		provider: row.provider as SessionState['provider'],
		startedAt,
		deadlineAt,
		wrapUpAt: wrapUpAt(startedAt, deadlineAt),
		wrapUpSent: false,
		emptySince: null,
		lastActivityAt: Date.now(),
		endReason: null,
		endedAt: null,
		reservation: interviewReservation(setup.link, row.id),
		shareTokens: row.reservedTokens,
		brief: language ? { ...setup.brief, respondentLanguage: language } : setup.brief,
		privacy: setup.privacy
	});
	return { ok: true, state, resumeToken: admission.resumeToken };
}
