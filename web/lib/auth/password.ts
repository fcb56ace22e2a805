export const MIN_PASSWORD_LENGTH = 10;

export type PasswordStrength = { level: 0 | 1 | 2 | 3; label: string; hint: string };

/** A hint while typing a new password: the length rule first, then some encouragement. */
export function passwordStrength(password: string): PasswordStrength {
	const missing = MIN_PASSWORD_LENGTH - password.length;
	if (password.length === 0) return { level: 0, label: '', hint: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
	if (missing > 0) return { level: 1, label: 'Too short', hint: `At least ${MIN_PASSWORD_LENGTH} characters: ${missing} more to go.` };
	const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
	if (password.length >= 14 && kinds >= 3) return { level: 3, label: 'Strong', hint: 'Strong password.' };
	return { level: 2, label: 'Good', hint: 'Long enough. A longer phrase or mixed characters make it stronger.' };
}

/** Why a new password is refused, or null when it is long enough. */
export function newPasswordError(password: string): string | null {
	return password.length >= MIN_PASSWORD_LENGTH ? null : `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
}
