const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(email: string): string | null {
	if (!email.trim()) return 'Enter your email address.';
	return EMAIL.test(email.trim()) ? null : 'Enter a valid email address, like name@example.com.';
}
