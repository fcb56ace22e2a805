import type { RequestOptions } from './api';
import { getSession, postSignOut } from './auth/auth-api';

/**
 * Whether this tab has seen a valid session. While it has not, pages ask better-auth's
 * get-session first: it answers 200 with null when signed out, so a signed-out visit
 * does not show up as a failed request.
 */
let confirmed = false;

export const session = {
	get confirmed() {
		return confirmed;
	},
	confirm() {
		confirmed = true;
	},
	forget() {
		confirmed = false;
	}
};

export async function hasSession(options: RequestOptions = {}): Promise<boolean> {
	if (confirmed) return true;
	const current = await getSession(options);
	return current !== null && current !== undefined;
}

export async function signOut(): Promise<void> {
	await postSignOut();
	confirmed = false;
}
