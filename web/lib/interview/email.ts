export type EmailProblem = 'missing' | 'invalid';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** A pragmatic check (something@domain.tld, at most 254 characters); the server has the last word. */
export function emailProblem(email: string): EmailProblem | null {
	const trimmed = email.trim();
	if (trimmed === '') return 'missing';
	return trimmed.length <= 254 && EMAIL_PATTERN.test(trimmed) ? null : 'invalid';
}
