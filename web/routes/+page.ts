import { redirect } from '@sveltejs/kit';

// The dashboard starts at the project list; its layout sends signed-out visitors to sign in.
export function load() {
	redirect(307, '/projects');
}
