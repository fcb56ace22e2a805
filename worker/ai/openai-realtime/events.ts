/** What OpenAI Realtime tells us, mapped onto the interview: turns, the interviewer's audio, barge-in, usage. */
import { durationMs, fromBase64, spokenPart } from '../pcm';
import type { ProviderEvents } from '../provider';
import type { Upstream } from '../upstream';
import { cancelResponse, createResponse, truncateItem } from './client-events';

/** Error codes that say a harmless thing happened (cancelling a reply that already ended). */
const QUIET_ERRORS = new Set(['response_cancel_not_active', 'item_truncate_invalid_item_id', 'conversation_already_has_active_response']);
/** Replies remembered by item id: enough for the one playing and the few whose transcripts are late. */
const MAX_REPLIES = 32;

export type ServerEvent = { type: string; [key: string]: unknown };

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
		this.session.upstream.send(createResponse());
	}

	handle(event: ServerEvent): void {
		const { events, elapsed } = this.session;
		switch (event.type) {
			case 'input_audio_buffer.speech_started': {
				const itemId = String(event.item_id ?? '');
				const timeline = this.session.upstream.timeline;
				this.speechStart.set(itemId, timeline.place(Number(event.audio_start_ms ?? timeline.positionMs)) ?? elapsed());
				this.interrupt();
				return;
			}
			case 'conversation.item.input_audio_transcription.completed': {
				const itemId = String(event.item_id ?? '');
				const text = String(event.transcript ?? '').trim();
				if (!text) return;
				void events.turn({ key: `openai-${itemId}`, role: 'respondent', text, final: true, startMs: this.takeSpeechStart(itemId) });
				return;
			}
			case 'conversation.item.input_audio_transcription.failed': {
				// The voice answer is kept (the recording has it); only its words are missing.
				const itemId = String(event.item_id ?? '');
				void events.turn({
					key: `openai-${itemId}`,
					role: 'respondent',
					text: '(Voice answer: the transcription failed.)',
					final: true,
					transcribed: false,
					startMs: this.takeSpeechStart(itemId)
				});
				return;
			}
			case 'response.created':
				this.replying = true;
				return;
			case 'response.output_audio.delta': {
				const reply = this.replyFor(String(event.item_id ?? ''));
				this.current = reply;
				if (reply.cutAtMs !== null) return;
				const pcm = fromBase64(String(event.delta ?? ''));
				if (reply.firstAudioAt === null) {
					reply.firstAudioAt = Date.now();
					reply.startMs = elapsed();
				}
				reply.audioMs += durationMs(pcm.byteLength);
				events.audio(pcm);
				return;
			}
			case 'response.output_audio_transcript.done':
			case 'response.output_text.done': {
				const reply = this.replyFor(String(event.item_id ?? ''));
				reply.transcript = String(event.transcript ?? event.text ?? '').trim();
				if (reply.startMs === null) reply.startMs = elapsed();
				if (reply.transcript) this.storeReply(reply);
				return;
			}
			case 'response.done': {
				this.replying = false;
				const response = (event.response ?? {}) as { usage?: Record<string, unknown> };
				if (response.usage) events.usage?.(flattenUsage(response.usage));
				if (this.replyWanted) {
					this.replyWanted = false;
					this.askForReply();
				}
				return;
			}
			case 'error': {
				const error = (event.error ?? {}) as { code?: string; message?: string; type?: string };
				if (error.code && QUIET_ERRORS.has(error.code)) return;
				events.error(
					'provider_error',
					this.session.redact(`${error.type ?? 'error'} ${error.code ?? ''}: ${error.message ?? 'no message'}`)
				);
				return;
			}
		}
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
		if (this.replying) this.session.upstream.send(cancelResponse());
		this.session.upstream.send(truncateItem(reply.itemId, reply.cutAtMs));
		this.storeReply(reply);
	}
}

/** `response.usage` as flat counters: `openai.input_audio_tokens`, `openai.output_text_tokens`, … */
function flattenUsage(usage: Record<string, unknown>): Record<string, number> {
	const out: Record<string, number> = {};
	const add = (key: string, value: unknown) => {
		if (typeof value === 'number' && Number.isFinite(value)) out[`openai.${key}`] = value;
	};
	add('input_tokens', usage.input_tokens);
	add('output_tokens', usage.output_tokens);
	add('total_tokens', usage.total_tokens);
	const input = (usage.input_token_details ?? {}) as Record<string, unknown>;
	const output = (usage.output_token_details ?? {}) as Record<string, unknown>;
	add('input_text_tokens', input.text_tokens);
	add('input_audio_tokens', input.audio_tokens);
	add('input_cached_tokens', input.cached_tokens);
	add('output_text_tokens', output.text_tokens);
	add('output_audio_tokens', output.audio_tokens);
	return out;
}
