import { error, redirect } from '@sveltejs/kit';
import type { Me } from '$contracts/api';
import { api, ApiRequestError, call } from '$lib/api';
import { describeError } from '$lib/errors';
import { signInUrl } from '$lib/navigation';
import { hasSession, session } from '$lib/session';
import type { LayoutLoad } from './$types';

/** The signed-in user, or null when there is no session. */
async function loadMe(fetch: typeof globalThis.fetch): Promise<Me | null> {
	try {
		if (!(await hasSession({ fetch }))) return null;
		return await call(api.me.$get, {}, { fetch });
	} catch (failure) {
		if (failure instanceof ApiRequestError && failure.status === 401) return null;
		error(failure instanceof ApiRequestError && failure.status >= 400 ? failure.status : 503, describeError(failure));
	}
}

/** Every dashboard page needs the signed-in user; signed-out visitors go to sign in and come back. */
export const load: LayoutLoad = async ({ fetch, url, depends, untrack }) => {
	depends('app:me');
	const me = await loadMe(fetch);
	if (!me) {
		session.forget();
		redirect(307, signInUrl(untrack(() => url.pathname + url.search)));
	}
	session.confirm();
	return { me };
};
