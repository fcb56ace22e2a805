import type { ClientMessage } from '$contracts/protocol';
import type { SocketErrorCode } from '$contracts/socket-errors';
import { socketUrl } from './reconnect';
import type { Destination } from './socket';

export type JoinFields = Omit<Extract<ClientMessage, { type: 'hello' }>, 'type' | 'protocol'>;
type JoinBody = {
	url?: string;
	verify?: { email: string; expiresInMs: number };
	refused?: { code: SocketErrorCode; message: string; closeCode: number | null };
};

/**
 * Asks the server where to connect for this join (`POST /api/public/links/:token/join`): the socket
 * URL (with a join ticket on a multi-use link), a mailed code to ask for, or the refusal the socket
 * would have closed with. A network failure or a server error throws, and the socket retries.
 */
export async function joinDestination(location: Location, token: string, fields: JoinFields): Promise<Destination> {
	const response = await fetch(`/api/public/links/${encodeURIComponent(token)}/join`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify(fields)
	});
	if (!response.ok) throw new Error(`join answered ${response.status}`);
	const body = (await response.json()) as JoinBody;
	if (body.url) return { url: socketUrl(location, body.url) };
	if (body.verify) return { message: { type: 'rejoin.verify', email: body.verify.email, expiresInMs: body.verify.expiresInMs } };
	if (!body.refused) throw new Error('join answered without a destination');
	const { code, message, closeCode } = body.refused;
	return closeCode === null ? { message: { type: 'error', code, message } } : { refused: { closeCode, error: { code, message } } };
}
