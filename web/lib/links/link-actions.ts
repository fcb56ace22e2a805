import type { Link } from '$contracts/links';
import { api, call } from '$lib/api';
import { liveBalance } from '$lib/billing/balance.svelte';
import { copyText } from '$lib/download';
import { toasts } from '$lib/toasts.svelte';
import { linkName, type RiskyAction } from './link-format';

export async function copyLink(link: Link) {
	if (await copyText(link.url)) toasts.success(`Copied “${linkName(link)}”.`);
	else toasts.error('The clipboard is not available here. Open the link and copy it from the address bar.');
}

export function openLink(link: Link) {
	window.open(link.url, '_blank', 'noopener');
}

export async function setEnabled(link: Link, enabled: boolean) {
	await call(api.links[':linkId'].$patch, { param: { linkId: link.id }, json: { enabled } });
	toasts.success(enabled ? 'The link accepts interviews again.' : 'The link is disabled: new joins are refused.');
}

/** Cancel, regenerate or delete; the balance is refreshed because cancel and delete give tokens back. */
export async function runRisky(action: RiskyAction, link: Link) {
	const param = { linkId: link.id };
	if (action === 'cancel') await call(api.links[':linkId'].cancel.$post, { param });
	else if (action === 'regenerate') await call(api.links[':linkId'].regenerate.$post, { param });
	else await call(api.links[':linkId'].$delete, { param });
	toasts.success(
		{
			cancel: 'Link cancelled; its tokens are back in your balance.',
			regenerate: 'Link regenerated: the old address no longer works.',
			delete: 'Link deleted.'
		}[action]
	);
	if (action !== 'regenerate') void liveBalance.refresh();
}
