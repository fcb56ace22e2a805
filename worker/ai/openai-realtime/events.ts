/**
 * What OpenAI Realtime tells us, mapped onto the interview: turns, the interviewer's audio, barge-in,
 * usage. Events are read as the `openai` SDK's server event types, so a field we misread fails to compile.
 */
import type { RealtimeClientEvent, RealtimeResponseUsage, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { ProviderEvents } from '../provider';
import type { Upstream } from '../upstream';
import { createResponse, encode } from './client-events';
import { Replies } from './replies';

/** Error codes that say a harmless thing happened (cancelling a reply that already ended). */
const QUIET_ERRORS = new Set(['response_cancel_not_active', 'item_truncate_invalid_item_id', 'conversation_already_has_active_response']);

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
	private readonly replies: Replies;
	/** Where each respondent item began, in interview time, until its transcript arrives. */
	private readonly speechStart = new Map<string, number>();

	constructor(private readonly session: ServerEventsContext) {
		this.replies = new Replies({ events: session.events, send: (event) => this.send(event), elapsed: session.elapsed });
	}

	/** Whether a response is being generated (a fresh upstream session rotates only between them). */
	get isReplying(): boolean {
		return this.replying;
	}

	/** A fresh upstream session has no response in flight and nothing playing. */
	reset(): void {
		this.replying = false;
		this.replyWanted = false;
		this.replies.reset();
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
				this.replies.interrupt(this.replying);
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
			case 'response.output_audio.delta':
				return this.replies.audio(event.item_id, event.delta);
			case 'response.output_audio_transcript.done':
				return this.replies.transcript(event.item_id, event.transcript);
			case 'response.output_text.done':
				return this.replies.transcript(event.item_id, event.text);
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

	private takeSpeechStart(itemId: string): number {
		const startMs = this.speechStart.get(itemId) ?? this.session.elapsed();
		this.speechStart.delete(itemId);
		return startMs;
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
