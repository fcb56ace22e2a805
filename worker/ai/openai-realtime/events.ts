/**
 * What OpenAI Realtime tells us, mapped onto the interview: turns, the interviewer's audio, barge-in,
 * usage. Events are read as the `openai` SDK's server event types, so a field we misread fails to compile.
 */
import type { RealtimeClientEvent, RealtimeResponseUsage, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { durationMs, fromBase64, spokenPart } from '../pcm';
import type { ProviderEvents } from '../provider';
import type { Upstream } from '../upstream';
import { cancelResponse, createResponse, encode, truncateItem } from './client-events';

/** Error codes that say a harmless thing happened (cancelling a reply that already ended). */
const QUIET_ERRORS = new Set(['response_cancel_not_active', 'item_truncate_invalid_item_id', 'conversation_already_has_active_response']);
/** Replies remembered by item id: enough for the one playing and the few whose transcripts are late. */
const MAX_REPLIES = 32;

/** One interviewer reply: its audio as it was relayed, its transcript, and where a barge-in cut it. */
type Reply = {
	itemId: string;
	firstAudioAt: number | null;
	startMs: number | null;
	audioMs: number;
	transcript: string | null;
	cutAtMs: number | null;
};

/** What the event mapping needs from the session around it. */
export type ServerEventsContext = {
	events: ProviderEvents;
	upstream: Pick<Upstream, 'send' | 'timeline'>;
	/** Milliseconds since the interview started. */
	elapsed: () => number;
	/** Removes our key from text that goes to the log. */
	redact: (text: string) => string;
};

/**
 * The server events of one interview, over however many upstream sessions it takes. It also keeps
 * the one rule of taking turns: a single response at a time, so a reply asked for while another is
 * being generated is asked for again once that one is done.
 */
export class ServerEvents {
	private replying = false;
	private replyWanted = false;
	private current: Reply | null = null;
	private readonly replies = new Map<string, Reply>();
	/** Where each respondent item began, in interview time, until its transcript arrives. */
	private readonly speechStart = new Map<string, number>();

	constructor(private readonly session: ServerEventsContext) {}

	/** Whether a response is being generated (a fresh upstream session rotates only between them). */
	get isReplying(): boolean {
		return this.replying;
	}

	/** A fresh upstream session has no response in flight and nothing playing. */
	reset(): void {
		this.replying = false;
		this.replyWanted = false;
		this.current = null;
	}

	askForReply(): void {
		if (this.replying) {
			this.replyWanted = true;
			return;
		}
		this.replying = true;
		this.send(createResponse());
	}

	private send(event: RealtimeClientEvent): void {
		this.session.upstream.send(encode(event));
	}

	handle(event: RealtimeServerEvent): void {
		const { events, elapsed } = this.session;
		switch (event.type) {
			case 'input_audio_buffer.speech_started': {
				const timeline = this.session.upstream.timeline;
				this.speechStart.set(event.item_id, timeline.place(event.audio_start_ms ?? timeline.positionMs) ?? elapsed());
				this.interrupt();
				return;
			}
			case 'conversation.item.input_audio_transcription.completed': {
				const text = event.transcript.trim();
				if (!text) return;
				void events.turn({
					key: `openai-${event.item_id}`,
					role: 'respondent',
					text,
					final: true,
					startMs: this.takeSpeechStart(event.item_id)
				});
				return;
			}
			case 'conversation.item.input_audio_transcription.failed': {
				// The voice answer is kept (the recording has it); only its words are missing.
				void events.turn({
					key: `openai-${event.item_id}`,
					role: 'respondent',
					text: '(Voice answer: the transcription failed.)',
					final: true,
					transcribed: false,
					startMs: this.takeSpeechStart(event.item_id)
				});
				return;
			}
			case 'response.created':
				this.replying = true;
				return;
			case 'response.output_audio.delta': {
				const reply = this.replyFor(event.item_id);
				this.current = reply;
				if (reply.cutAtMs !== null) return;
				const pcm = fromBase64(event.delta);
				if (reply.firstAudioAt === null) {
					reply.firstAudioAt = Date.now();
					reply.startMs = elapsed();
				}
				reply.audioMs += durationMs(pcm.byteLength);
				events.audio(pcm);
				return;
			}
			case 'response.output_audio_transcript.done':
				return this.replyDone(event.item_id, event.transcript);
			case 'response.output_text.done':
				return this.replyDone(event.item_id, event.text);
			case 'response.done': {
				this.replying = false;
				if (event.response.usage) events.usage?.(flattenUsage(event.response.usage));
				if (this.replyWanted) {
					this.replyWanted = false;
					this.askForReply();
				}
				return;
			}
			case 'error': {
				const { error } = event;
				if (error.code && QUIET_ERRORS.has(error.code)) return;
				events.error('provider_error', this.session.redact(`${error.type} ${error.code ?? ''}: ${error.message}`));
				return;
			}
		}
	}

	private replyDone(itemId: string, transcript: string): void {
		const reply = this.replyFor(itemId);
		reply.transcript = transcript.trim();
		if (reply.startMs === null) reply.startMs = this.session.elapsed();
		if (reply.transcript) this.storeReply(reply);
	}

	private takeSpeechStart(itemId: string): number {
		const startMs = this.speechStart.get(itemId) ?? this.session.elapsed();
		this.speechStart.delete(itemId);
		return startMs;
	}

	private replyFor(itemId: string): Reply {
		let reply = this.replies.get(itemId);
		if (!reply) {
			reply = { itemId, firstAudioAt: null, startMs: null, audioMs: 0, transcript: null, cutAtMs: null };
			this.replies.set(itemId, reply);
			if (this.replies.size > MAX_REPLIES) this.replies.delete(this.replies.keys().next().value!);
		}
		return reply;
	}

	private storeReply(reply: Reply): void {
		if (reply.transcript === null) return;
		const text = reply.cutAtMs === null ? reply.transcript : spokenPart(reply.transcript, reply.cutAtMs, reply.audioMs);
		void this.session.events.turn({
			key: `openai-${reply.itemId}`,
			role: 'interviewer',
			text,
			final: true,
			startMs: reply.startMs ?? this.session.elapsed()
		});
	}

	/**
	 * Barge-in: stop the browser's playback, cancel the reply and cut it to what was heard. The
	 * browser does not say what it played, so "heard" is the wall clock since the first audio frame.
	 */
	private interrupt(): void {
		this.session.events.speechStarted();
		const reply = this.current;
		if (!reply || reply.firstAudioAt === null || reply.cutAtMs !== null) return;
		const played = Math.min(reply.audioMs, Date.now() - reply.firstAudioAt);
		if (played >= reply.audioMs) return;
		reply.cutAtMs = Math.max(0, Math.round(played));
		if (this.replying) this.send(cancelResponse());
		this.send(truncateItem(reply.itemId, reply.cutAtMs));
		this.storeReply(reply);
	}
}

/** `response.usage` as flat counters: `openai.input_audio_tokens`, `openai.output_text_tokens`, … */
function flattenUsage(usage: RealtimeResponseUsage): Record<string, number> {
	const out: Record<string, number> = {};
	const add = (key: string, value: number | undefined) => {
		if (typeof value === 'number' && Number.isFinite(value)) out[`openai.${key}`] = value;
	};
	add('input_tokens', usage.input_tokens);
	add('output_tokens', usage.output_tokens);
	add('total_tokens', usage.total_tokens);
	add('input_text_tokens', usage.input_token_details?.text_tokens);
	add('input_audio_tokens', usage.input_token_details?.audio_tokens);
	add('input_cached_tokens', usage.input_token_details?.cached_tokens);
	add('output_text_tokens', usage.output_token_details?.text_tokens);
	add('output_audio_tokens', usage.output_token_details?.audio_tokens);
	return out;
}
