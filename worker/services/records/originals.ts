import { StoredTranscript } from '../../contracts/records';
import { ApiError } from '../../lib/errors';
import { assertRole, hasRole, type Principal } from '../../lib/principal';
import { readOriginal } from '../privacy';
import type { RecordRow } from './records';

/**
 * The unredacted originals some projects keep: sealed in R2, opened only for owners and admins who
 * ask for them by name (`original=true`), never by default, never for members.
 */

type OriginalsEnv = Pick<Env, 'FILES' | 'BETTER_AUTH_SECRET'>;

export function assertMayReadOriginals(principal: Principal): void {
	assertRole(principal, 'admin', 'read unredacted originals');
}

/** The record's original transcript, or null when none was kept; the caller has checked the role. */
export async function readOriginalTranscript(env: OriginalsEnv, row: RecordRow): Promise<StoredTranscript | null> {
	const key = row.redaction?.originalKey;
	if (!key) return null;
	const parsed = StoredTranscript.safeParse(await readOriginal(env, env.FILES, row.workspaceId, key));
	if (!parsed.success) throw new ApiError('unprocessable', 'The original of this record could not be read.');
	return parsed.data;
}

/** The original for the transcript route: owners and admins only, and a 404 where none was kept. */
export async function requireOriginalTranscript(env: OriginalsEnv, principal: Principal, row: RecordRow): Promise<StoredTranscript> {
	assertMayReadOriginals(principal);
	const original = await readOriginalTranscript(env, row);
	if (!original) throw new ApiError('not_found', 'No original was kept for this record.');
	return original;
}

/** What a record shows of its redaction; `originalKept` only tells owners and admins, who can read it. */
export function redactionView(row: RecordRow, principal: Principal) {
	if (!row.redaction) return null;
	return {
		passes: row.redaction.passes as Array<'respondent_email' | 'patterns' | 'names'>,
		originalKept: !!row.redaction.originalKey && hasRole(principal, 'admin')
	};
}
