import { error, redirect } from '@sveltejs/kit';
import type { Me } from '$contracts/api';
import { api, ApiRequestError } from '$lib/api';
import { describeError } from '$lib/errors';
import { signInUrl } from '$lib/navigation';
import type { LayoutLoad } from './$types';

/** Every dashboard page needs the signed-in user; signed-out visitors go to sign in and come back. */
export const load: LayoutLoad = async ({ fetch, url, depends, untrack }) => {
	depends('app:me');
	try {
		const me = await api.get<Me>('/api/me', { fetch });
		return { me };
	} catch (failure) {
		if (failure instanceof ApiRequestError && failure.status === 401) {
			redirect(307, signInUrl(untrack(() => url.pathname + url.search)));
		}
		const status = failure instanceof ApiRequestError && failure.status >= 400 ? failure.status : 503;
		error(status, describeError(failure));
	}
};
