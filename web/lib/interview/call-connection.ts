import { joinDestination, type JoinFields } from './join';
import { InterviewSocket, type SocketHandlers } from './socket';

/**
 * The call's socket to the interview, asking the join before every attempt where to connect. The
 * session fetches this module when the call starts, so the page before Start does not carry it.
 */
export function callSocket(token: string, fields: () => JoinFields, handlers: SocketHandlers): InterviewSocket {
	return new InterviewSocket(() => joinDestination(location, token, fields()), handlers);
}
