/** Proving the email with a mailed code before rejoining from this browser. */
export type Verification = { email: string; expiresAt: number; problem: 'invalid' | 'expired' | null; newCode: boolean; checking: boolean };

/** A later expiry than before by this much means the server mailed a new code, not the same one again. */
const NEW_CODE_AFTER_MS = 5_000;

/** The server asks for a code: a new one clears the last problem, the same one keeps it. */
export function codeRequested(previous: Verification | null, email: string, expiresInMs: number, now: number): Verification {
	const expiresAt = now + expiresInMs;
	const newCode = previous !== null && expiresAt - previous.expiresAt > NEW_CODE_AFTER_MS;
	return { email, expiresAt, problem: newCode ? null : (previous?.problem ?? null), newCode, checking: false };
}

/** The typed code is on its way to the server. */
export const codeSubmitted = (verification: Verification): Verification => ({
	...verification,
	problem: null,
	newCode: false,
	checking: true
});

/** A new code is asked for. */
export const codeResent = (verification: Verification): Verification => ({ ...verification, problem: null, checking: false });

/** The server turned the code down. */
export const codeRefused = (verification: Verification, problem: Verification['problem']): Verification => ({
	...verification,
	problem,
	checking: false
});
