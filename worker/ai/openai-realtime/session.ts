import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { redactSecrets } from '../../lib/redact';
import { wrapUpNote } from '../instructions';
import type { ProviderContext, ProviderSession } from '../provider';
import { connectWebSocket, reportDropped, Upstream, UpstreamError, WARN_AFTER_ATTEMPT } from '../upstream';
import { audioAppendJson, encode, historyItems, sessionUpdate, systemNote, userText } from './client-events';
import { ServerEvents } from './events';

/** OpenAI closes a session after 60 minutes; we move to a fresh one a little before. */
export const SESSION_LIMIT_MS = 58 * 60_000;
/** While a reply is being generated the session is not moved; it is tried again this much later. */
const ROTATE_RETRY_MS = 1_000;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 15_000];
/** Provider memory: a wrap-up was due while there was no upstream session to tell (kept across restarts). */
const WRAP_UP_OWED = 'wrapUpOwed';

export type OpenAiOptions = {
	apiKey: string;
	url: string;
	model: string;
	connect?: (url: string, headers: Record<string, string>) => Promise<WebSocket>;
	backoffMs?: number[];
	/** When to move to a fresh upstream session (default: a little under OpenAI's 60-minute cap). */
	sessionLimitMs?: number;
	/** The wall clock barge-in measures what was heard by (default: Date.now). */
	now?: () => number;
};

/**
 * OpenAI Realtime (GA protocol) over one outbound WebSocket from the Interview DO. The DO relays
 * respondent PCM upstream and the interviewer's PCM back; transcripts of both sides become turns.
 * Every new upstream session (after a drop, or at the session cap) is configured afresh and hears
 * the stored turns replayed as items.
 */
export function createOpenAiSession(context: ProviderContext, options: OpenAiOptions): ProviderSession {
	const { events, brief } = context;
	const connect = options.connect ?? connectWebSocket;
	const url = `${options.url}${options.url.includes('?') ? '&' : '?'}model=${encodeURIComponent(options.model)}`;
	const elapsed = context.elapsedMs ?? (() => brief.durationMinutes * 60_000 - context.remainingMs());
	const redact = (text: string) => redactSecrets(text, [options.apiKey]);
	const describe = (error: unknown) => (error instanceof Error ? redact(error.message) : 'unknown');
	let rotateTimer: ReturnType<typeof setTimeout> | null = null;
	/** Every event goes on the socket as the JSON of an SDK-typed client event (dropped while there is no socket). */
	const send = (event: RealtimeClientEvent) => upstream.send(encode(event));

	const upstream = new Upstream(
		{
			connect: () => connect(url, { Authorization: `Bearer ${options.apiKey}` }),
			opened(reconnected) {
				server.open();
				const { items, awaitingReply } = historyItems(context.history);
				for (const item of items) send(item);
				// A wrap-up due while we were away is not in the stored turns: it follows the replay, with the time left now.
				const wrapUpOwed = context.memory.get<boolean>(WRAP_UP_OWED) === true;
				if (wrapUpOwed) {
					send(systemNote(wrapUpNote(context.remainingMs())));
					context.memory.set(WRAP_UP_OWED, false);
				}
				// A new conversation opens with the interviewer; a resumed one only owes a reply to the respondent (or the wrap-up).
				const isNew = !reconnected && !context.history.some((turn) => turn.role === 'interviewer');
				if (isNew || awaitingReply || wrapUpOwed) server.askForReply();
				if (rotateTimer) clearTimeout(rotateTimer);
				rotateTimer = setTimeout(rotate, options.sessionLimitMs ?? SESSION_LIMIT_MS);
			},
			// The socket's text is OpenAI's: read as the SDK's server events (an event we do not handle is ignored).
			message: (text) => server.handle(JSON.parse(text) as RealtimeServerEvent),
			audioMessage: audioAppendJson,
			failed: (code, error) =>
				events.error(
					code,
					code === 'provider_reconnecting' ? `reconnect attempt ${WARN_AFTER_ATTEMPT} failed: ${describe(error)}` : describe(error)
				)
		},
		{ backoffMs: options.backoffMs ?? BACKOFF_MS, timelineIncludesWaitingAudio: true }
	);
	const server = new ServerEvents({
		events,
		upstream,
		elapsed,
		now: options.now ?? Date.now,
		redact,
		configure: (mode, eventId) => sessionUpdate(brief, context.remainingMs(), mode, eventId, context.questions?.()),
		history: () => context.history
	});

	/** Moves to a fresh upstream session before OpenAI's cap ends this one, between replies. */
	function rotate(): void {
		if (!upstream.isOpen) return;
		if (server.isReplying) {
			rotateTimer = setTimeout(rotate, ROTATE_RETRY_MS);
			return;
		}
		upstream.reopen('session limit');
	}

	return {
		name: 'openai',
		async start() {
			try {
				await upstream.open();
			} catch (error) {
				throw new Error(error instanceof UpstreamError ? redact(error.message) : 'The interviewer could not connect.', { cause: error });
			}
		},
		sendAudio(pcm, atMs) {
			upstream.sendAudio(pcm, atMs);
		},
		// Said while the upstream reconnects, a typed answer still counts: it is a stored turn, and the replay carries it.
		sendText(text) {
			send(userText(text));
			server.askForReply();
		},
		// Said while the upstream reconnects, the wrap-up is owed: the next session hears it after the replay.
		wrapUp(remainingMs, lastQuestion) {
			if (!upstream.isOpen) return context.memory.set(WRAP_UP_OWED, true);
			send(systemNote(wrapUpNote(remainingMs, lastQuestion)));
			server.askForReply();
		},
		// Pacing: the model hears the note at its next response (after the respondent's answer), not as a reason to speak now.
		steer(note) {
			send(systemNote(note));
		},
		async close() {
			if (rotateTimer) clearTimeout(rotateTimer);
			server.close();
			upstream.close();
			reportDropped(upstream, events);
		}
	};
}
