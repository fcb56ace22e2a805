/** What the respondent's page asks before it opens an interview socket: POST /api/public/links/:token/join. */
export type JoinAnswer = { url: string } | { refused: { code: string; message: string; closeCode: number | null } };

/**
 * Asks for the join of the link at `linkUrl` (`…/interview/<token>`) from Node, as the respondent's
 * page does; a `url` is the WebSocket URL to open (with its join ticket on a multi-use link).
 */
export async function askJoin(linkUrl: string, hello: { email?: string; consent?: boolean } = {}): Promise<JoinAnswer> {
	const { origin, pathname } = new URL(linkUrl);
	const token = pathname.split('/interview/')[1]!;
	const response = await fetch(`${origin}/api/public/links/${token}/join`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: origin },
		body: JSON.stringify({ consent: true, ...hello })
	});
	if (!response.ok) throw new Error(`the join answered ${response.status}: ${await response.text()}`);
	const body = (await response.json()) as { url?: string; refused?: { code: string; message: string; closeCode: number | null } };
	if (body.url) return { url: `${origin.replace(/^http/, 'ws')}${body.url}` };
	if (body.refused) return { refused: body.refused };
	throw new Error(`the join answered without a destination: ${JSON.stringify(body)}`);
}

/** The WebSocket URL of an admitted join; a refusal throws with its code. */
export async function joinedSocketUrl(linkUrl: string, hello: { email?: string; consent?: boolean } = {}): Promise<string> {
	const answer = await askJoin(linkUrl, hello);
	if ('refused' in answer) throw new Error(`join refused: ${answer.refused.code}`);
	return answer.url;
}
