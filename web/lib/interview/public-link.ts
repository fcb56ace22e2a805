import type { PublicLink } from '$contracts/links';

/** The link as respondents see it; null when there is no such link (any 4xx). */
export async function fetchPublicLink(token: string): Promise<PublicLink | null> {
	const response = await fetch(`/api/public/links/${encodeURIComponent(token)}`, { headers: { Accept: 'application/json' } });
	if (response.status >= 400 && response.status < 500) return null;
	if (!response.ok) throw new Error(`status ${response.status}`);
	return (await response.json()) as PublicLink;
}
