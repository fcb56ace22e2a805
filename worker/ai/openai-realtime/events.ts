/**
 * What OpenAI Realtime tells us, mapped onto the interview: turns, the interviewer's audio, barge-in,
 * failed responses, usage. Events are read as the `openai` SDK's server event types, so a field we
 * misread fails to compile.
 */
import type {
	RateLimitsUpdatedEvent,
	RealtimeClientEvent,
	RealtimeError,
	RealtimeResponse,
	RealtimeResponseUsage,
	RealtimeServerEvent,
	SessionUpdateEvent
} from 'openai/resources/realtime/realtime';
import type { Turn } from '../../contracts/protocol';
import type { ProviderEvents } from '../provider';
import type { Upstream } from '../upstream';
import { encode, type TurnDetectionMode } from './client-events';
import { SessionConfiguration } from './configuration';
import { describeFailure, retryDelayMs } from './failures';
import { Replies } from './replies';
import { ResponseQueue } from './response-queue';
import { ToolCalls } from './tools';

/** Error codes that say a harmless thing happened (cancelling a reply that already ended). */
const QUIET_ERRORS = new Set(['response_cancel_not_active', 'item_truncate_invalid_item_id']);

/** What the event mapping needs from the session around it. */
export type ServerEventsContext = {
	events: ProviderEvents;
	upstream: Pick<Upstream, 'send' | 'timeline'>;
	/** Milliseconds since the interview started. */
	elapsed: () => number;
	/** The wall clock, in milliseconds. */
	now: () => number;
	/** Removes our key from text that goes to the log. */
	redact: (text: string) => string;
	/** The `session.update` for a new upstream session, with this turn detection. */
	configure: (mode: TurnDetectionMode, eventId: string) => SessionUpdateEvent;
	/** The stored turns now: a call to end the interview is taken only after the goodbye. */
	history: () => readonly Turn[];
};

/**
 * The server events of one interview, over however many upstream sessions it takes. Replies are
 * asked for through one queue (a single response at a time); a failed response is said to the
 * respondent (the fixed sentence; OpenAI's words go to the log) and tried once more when the failure
 * is passing.
 */
export class ServerEvents {
	private readonly queue = new ResponseQueue((event) => this.send(event));
	private readonly configuration: SessionConfiguration;
	private readonly replies: Replies;
	private readonly tools: ToolCalls;
	/** The account's limits as the last `rate_limits.updated` gave them: when a used-up one resets. */
	private rateLimits: RateLimitsUpdatedEvent.RateLimit[] = [];
	/** Where each respondent item began, in interview time, until its transcript arrives. */
	private readonly speechStart = new Map<string, number>();

	constructor(private readonly session: ServerEventsContext) {
		this.replies = new Replies({ events: session.events, send: (event) => this.send(event), elapsed: session.elapsed, now: session.now });
		this.configuration = new SessionConfiguration(session.configure, (event) => this.send(event));
		this.tools = new ToolCalls({ events: session.events, history: session.history, send: (event) => this.send(event) });
	}

	/** Whether a response is being generated (a fresh upstream session rotates only between them). */
	get isReplying(): boolean {
		return this.queue.isActive;
	}

	/** A fresh upstream session: nothing in flight, nothing playing; it is configured first. */
	open(): void {
		this.queue.reset();
		this.replies.reset();
		this.tools.responseStarted();
		this.configuration.open();
	}

	askForReply(): void {
		this.queue.request();
	}

	/** The interview is over: no retry may fire after it. */
	close(): void {
		this.queue.close();
	}

	private send(event: RealtimeClientEvent): void {
		this.session.upstream.send(encode(event));
	}

	handle(event: RealtimeServerEvent): void {
		const { events, elapsed } = this.session;
		switch (event.type) {
			case 'session.updated':
				if (this.configuration.updated()) this.queue.ready();
				return;
			case 'input_audio_buffer.speech_started': {
				const timeline = this.session.upstream.timeline;
				this.speechStart.set(event.item_id, timeline.place(event.audio_start_ms ?? timeline.positionMs) ?? elapsed());
				this.replies.interrupt(this.queue.isActive);
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
				this.tools.responseStarted();
				return this.queue.started();
			case 'response.output_item.added':
				if (event.item.type === 'message') this.tools.spoke();
				return;
			case 'response.function_call_arguments.done':
				return this.tools.handle(event);
			case 'response.output_audio.delta':
				return this.replies.audio(event.item_id, event.delta);
			case 'response.output_audio_transcript.done':
				return this.replies.transcript(event.item_id, event.transcript);
			case 'response.output_text.done':
				return this.replies.transcript(event.item_id, event.text);
			case 'response.done':
				return this.responseDone(event.response);
			case 'rate_limits.updated':
				this.rateLimits = event.rate_limits;
				return;
			case 'error':
				return this.refused(event.error);
		}
	}

	/**
	 * A response ended. Failed (quota, rate limits, server errors): the respondent hears of it and it
	 * is tried once more when that can help. Incomplete (cut by the token limit or the content
	 * filter): what was said is kept, as its transcript came, and not asked again.
	 */
	private responseDone(response: RealtimeResponse): void {
		const { events, redact } = this.session;
		const usage = response.usage ? flattenUsage(response.usage) : {};
		if (response.status === 'failed' || response.status === 'incomplete') usage[`openai.responses_${response.status}`] = 1;
		if (Object.keys(usage).length > 0) events.usage?.(usage);
		// A response that called tools and said nothing (or had its goodbye refused) is followed by one that acts on the answers.
		if (this.tools.followUp() && response.status === 'completed') this.queue.request();
		const askedAgain = this.queue.done(response.status);
		if (response.status !== 'failed') return;
		const failure = response.status_details?.error ?? {};
		events.error('provider_error', redact(describeFailure('response failed', failure)));
		if (!askedAgain) this.queue.failed(retryDelayMs(failure, this.rateLimits));
	}

	/**
	 * An `error` event: the session goes on. When it refused our `session.update` for semantic VAD, the
	 * update went again with server VAD; for anything else the session keeps its configuration and the
	 * interview goes on with it. When it refused our `response.create` because a response is already
	 * active, ours is asked for after that one; for anything else, that reply failed.
	 */
	private refused(error: RealtimeError): void {
		const configuration = this.configuration.refused(error);
		if (configuration === 'fallback') return this.session.events.usage?.({ 'openai.turn_detection_fallbacks': 1 });
		if (configuration === 'refused') this.queue.ready();
		if (error.code === 'conversation_already_has_active_response') return this.queue.busy();
		if (error.code && QUIET_ERRORS.has(error.code)) return;
		this.session.events.error('provider_error', this.session.redact(describeFailure('error', error)));
		if (this.queue.refused(error.event_id) && !this.queue.done('failed')) this.queue.failed(retryDelayMs(error, this.rateLimits));
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
