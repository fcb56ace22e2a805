/** URL-safe base64 of CSPRNG bytes: 16 bytes = 128 bits. */
export function randomToken(bytes = 16): string {
	const buffer = crypto.getRandomValues(new Uint8Array(bytes));
	return btoa(String.fromCharCode(...buffer))
		.replace(/\+/g, '-')
		.replace(/\//g, '_')
		.replace(/=+$/, '');
}

export async function sha256Hex(value: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
	return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export const newId = () => crypto.randomUUID();
