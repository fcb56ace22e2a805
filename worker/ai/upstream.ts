/** The provider's outbound socket: how it is opened, and why it could not be. */
import type { ProviderErrorCode } from './provider';

/** Why a provider's socket could not be opened, as a code the respondent may hear of. */
export class UpstreamError extends Error {
	constructor(
		readonly code: Extract<ProviderErrorCode, 'provider_auth' | 'provider_unavailable'>,
		message: string
	) {
		super(message);
	}
}

/** Opens an outbound WebSocket with headers, the Workers way: a fetch with an Upgrade header. */
export async function connectWebSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
	const response = await fetch(url.replace(/^ws(s?):/, 'http$1:'), { headers: { ...headers, Upgrade: 'websocket' } });
	const socket = response.webSocket;
	if (!socket) {
		const status = response.status;
		await response.body?.cancel();
		throw new UpstreamError(status === 401 || status === 403 ? 'provider_auth' : 'provider_unavailable', `The AI provider refused the connection (HTTP ${status}).`);
	}
	socket.accept();
	return socket;
}
