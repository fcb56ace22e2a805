export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

const COMMON = new Set([
	'password',
	'password1',
	'password12',
	'password123',
	'passw0rd',
	'qwerty',
	'qwertyuiop',
	'letmein',
	'welcome',
	'iloveyou',
	'admin',
	'administrator',
	'changeme',
	'abc123',
	'monkey',
	'dragon',
	'football',
	'baseball',
	'sunshine',
	'princess',
	'trustno1',
	'parley',
	'interview',
	'1234567890',
	'0123456789',
	'1q2w3e4r5t',
	'qwerty123'
]);

/** Returns why a password is too weak, or null when it is acceptable. */
export function weakPasswordReason(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
	if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
	if (new Set(password).size < 4) return 'Use more than a few different characters.';
	const normalized = password.toLowerCase();
	if (COMMON.has(normalized) || COMMON.has(normalized.replace(/\d+$/, ''))) return 'This password is too common.';
	if (/^(?:0123456789|1234567890|abcdefghij)/i.test(password)) return 'Avoid simple sequences.';
	return null;
}
