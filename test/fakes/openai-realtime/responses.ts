/**
 * The fake's responses: scripted replies with synthetic audio, streamed as the GA protocol streams
 * them, one at a time, with `rate_limits.updated` at the start of each, and the faults armed for them:
 * failed, incomplete, cut off by a dropped socket, or slow to start speaking.
 */
import { randomUUID } from 'node:crypto';
import type {
	RateLimitsUpdatedEvent,
	RealtimeConversationItemAssistantMessage,
	RealtimeResponseStatus,
	RealtimeResponseUsage
} from 'openai/resources/realtime/realtime';
import { synthAudio } from './audio.ts';
import { RESPONSE_FAILURES, type Fault } from './faults.ts';
import type { FakeToolCall } from './tools.ts';
import type { FakeSettings, ServerEventBody } from './types.ts';

export type Reply = {
	responseId: string;
	itemId: string;
	transcript: string;
	audio: Buffer;
	/** The audio streamed so far: the item's audio, which a truncate may not go past. */
	sentBytes: number;
	status: 'in_progress' | 'completed' | 'cancelled' | 'failed' | 'incomplete';
};

/** What responding needs from the session around it. */
export type ResponseHost = {
	settings: FakeSettings;
	send(event: ServerEventBody): void;
	/** The next armed fault of these kinds (consumed), if any. */
	take<K extends Fault['kind']>(...kinds: K[]): Extract<Fault, { kind: K }> | null;
	/** Interviewer items the client created (a replayed conversation continues its script). */
	assistantItems(): number;
	/** Whether the session answers in text only (`output_modalities: ["text"]`). */
	textOnly(): boolean;
	/** The tool calls a completed reply with these words makes, when the session declared tools. */
	toolCalls(transcript: string): FakeToolCall[];
	/** The words the model was sent back to (a refused goodbye), which the next reply says instead of its script. */
	steeredReply(): string | null;
	/** The session's first response starts speaking this late (a connection's trait). */
	firstAudioMs: number;
	terminate(): void;
};

const CHUNK_BYTES = 4_800; // 100 ms

const USAGE: RealtimeResponseUsage = {
	total_tokens: 150,
	input_tokens: 100,
	output_tokens: 50,
	input_token_details: { text_tokens: 80, audio_tokens: 20, cached_tokens: 0 },
	output_token_details: { text_tokens: 10, audio_tokens: 40 }
};

export class Responses {
	readonly replies: Reply[] = [];
	private active: Reply | null = null;
	private tokensUsed = 0;
	private readonly host: ResponseHost;

	constructor(host: ResponseHost) {
		this.host = host;
	}

	/** Whether a response is being generated: a second one is refused meanwhile. */
	get isActive(): boolean {
		return this.active !== null;
	}

	/** Whether the session has spoken (its voice can no longer change). */
	get spoke(): boolean {
		return this.replies.some((reply) => reply.sentBytes > 0);
	}

	/** Stops the reply being generated (`response.cancel`, or speech when server VAD interrupts). */
	cancel(): boolean {
		if (!this.active) return false;
		this.active.status = 'cancelled';
		return true;
	}

	find(itemId: string): Reply | undefined {
		return this.replies.find((reply) => reply.itemId === itemId);
	}

	/**
	 * Starts the next scripted reply. `afterFirstAudio` runs once its first audio is out (or at once
	 * when it has none): a respondent's transcript, which the real service may send after the reply began.
	 * `deferred` holds every event back until `deferred` is called: the reply is active meanwhile.
	 */
	start(afterFirstAudio?: () => void): { deferred: (() => void) | null } {
		const said = this.host.assistantItems() + this.replies.filter((reply) => reply.status !== 'failed').length;
		const script = this.host.settings.replies;
		const transcript = this.host.steeredReply() ?? script[Math.min(said, script.length - 1)]!;
		const reply: Reply = {
			responseId: `resp_${randomUUID().slice(0, 12)}`,
			itemId: `item_${randomUUID().slice(0, 12)}`,
			transcript,
			audio: this.host.textOnly() ? Buffer.alloc(0) : synthAudio(transcript, this.host.settings.msPerChar),
			sentBytes: 0,
			status: 'in_progress'
		};
		const firstOfSession = this.replies.length === 0;
		this.replies.push(reply);
		this.active = reply;
		const fault = this.host.take('response-failed', 'response-incomplete', 'drop-mid-response', 'first-audio-late');
		const late = fault?.kind === 'first-audio-late' ? fault.ms : firstOfSession ? this.host.firstAudioMs : 0;
		let announced = false;
		const announce = () => {
			if (!announced) afterFirstAudio?.();
			announced = true;
		};
		const run = () => this.stream(reply, fault, late, announce);
		if (this.host.take('busy')) return { deferred: run };
		run();
		return { deferred: null };
	}

	private stream(reply: Reply, fault: Fault | null, lateMs: number, announce: () => void): void {
		const { send } = this.host;
		send({ type: 'response.created', response: { id: reply.responseId, object: 'realtime.response', status: 'in_progress' } });
		send({ type: 'rate_limits.updated', rate_limits: this.rateLimits(fault?.kind === 'response-failed' && fault.error === 'rate_limit') });
		if (fault?.kind === 'response-failed') {
			reply.status = 'failed';
			announce();
			return this.finish(reply, { type: 'failed', error: RESPONSE_FAILURES[fault.error] });
		}
		send({
			type: 'response.output_item.added',
			response_id: reply.responseId,
			output_index: 0,
			item: { id: reply.itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] }
		});
		send({
			type: 'conversation.item.added',
			item: { id: reply.itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] }
		});
		const speak = () => this.speak(reply, fault, announce);
		if (lateMs > 0) setTimeout(speak, lateMs);
		else speak();
	}

	private speak(reply: Reply, fault: Fault | null, announce: () => void): void {
		const { send } = this.host;
		const base = { response_id: reply.responseId, item_id: reply.itemId, output_index: 0, content_index: 0 };
		const incomplete = fault?.kind === 'response-incomplete';
		const words = reply.transcript.split(' ');
		const spokenWords = incomplete ? words.slice(0, Math.ceil(words.length / 2)) : words;
		const audioEnd = incomplete ? Math.floor(reply.audio.byteLength / 4) * 2 : reply.audio.byteLength;
		if (this.host.textOnly()) {
			send({ type: 'response.output_text.done', ...base, text: spokenWords.join(' ') });
			announce();
		}
		for (let offset = 0; offset < audioEnd && reply.status === 'in_progress'; offset += CHUNK_BYTES) {
			const chunk = reply.audio.subarray(offset, Math.min(offset + CHUNK_BYTES, audioEnd));
			send({ type: 'response.output_audio.delta', ...base, delta: chunk.toString('base64') });
			reply.sentBytes += chunk.byteLength;
			announce();
			if (fault?.kind === 'drop-mid-response') return this.host.terminate();
		}
		announce();
		if (this.host.textOnly()) return this.finish(reply, { type: reply.status === 'cancelled' ? 'cancelled' : 'completed' });
		const heard = spokenWords.slice(0, Math.max(1, Math.round((spokenWords.length * reply.sentBytes) / Math.max(1, audioEnd))));
		for (const word of heard) send({ type: 'response.output_audio_transcript.delta', ...base, delta: `${word} ` });
		send({ type: 'response.output_audio.done', ...base });
		send({ type: 'response.output_audio_transcript.done', ...base, transcript: heard.join(' ') });
		if (incomplete) {
			reply.status = 'incomplete';
			return this.finish(reply, { type: 'incomplete', reason: fault.reason });
		}
		if (reply.status === 'in_progress') reply.status = 'completed';
		this.finish(reply, reply.status === 'cancelled' ? { type: 'cancelled', reason: 'turn_detected' } : undefined);
	}

	private finish(reply: Reply, statusDetails?: RealtimeResponseStatus): void {
		this.active = null;
		this.tokensUsed += reply.status === 'failed' ? 0 : (USAGE.total_tokens ?? 0);
		const status = reply.status === 'in_progress' ? 'completed' : reply.status;
		if (status !== 'failed') {
			const item: RealtimeConversationItemAssistantMessage = {
				id: reply.itemId,
				type: 'message',
				role: 'assistant',
				status: status === 'completed' ? 'completed' : 'incomplete',
				content: []
			};
			this.host.send({ type: 'response.output_item.done', response_id: reply.responseId, output_index: 0, item });
		}
		if (status === 'completed') this.callTools(reply);
		this.host.send({
			type: 'response.done',
			response: {
				id: reply.responseId,
				object: 'realtime.response',
				status,
				...(statusDetails ? { status_details: statusDetails } : {}),
				usage: reply.status === 'failed' ? { total_tokens: 0, input_tokens: 0, output_tokens: 0 } : USAGE
			}
		});
	}

	/** The function calls after the reply's message, each as its own output item, streamed as the GA protocol does. */
	private callTools(reply: Reply): void {
		this.host.toolCalls(reply.transcript).forEach((call, index) => {
			const base = { response_id: reply.responseId, output_index: index + 1 };
			const item = { id: `item_${randomUUID().slice(0, 12)}`, type: 'function_call' as const, call_id: call.callId, name: call.name };
			this.host.send({ type: 'response.output_item.added', ...base, item: { ...item, arguments: '', status: 'in_progress' } });
			this.host.send({
				type: 'response.function_call_arguments.delta',
				...base,
				item_id: item.id,
				call_id: call.callId,
				delta: call.arguments
			});
			this.host.send({
				type: 'response.function_call_arguments.done',
				...base,
				item_id: item.id,
				call_id: call.callId,
				name: call.name,
				arguments: call.arguments
			});
			this.host.send({ type: 'response.output_item.done', ...base, item: { ...item, arguments: call.arguments, status: 'completed' } });
		});
	}

	/** The account's limits as `rate_limits.updated` reports them; `exhausted`: the tokens per minute are used up. */
	private rateLimits(exhausted: boolean): RateLimitsUpdatedEvent.RateLimit[] {
		return [
			{ name: 'requests', limit: 1_000, remaining: 1_000 - this.replies.length, reset_seconds: 0.06 * this.replies.length },
			exhausted
				? { name: 'tokens', limit: 40_000, remaining: 0, reset_seconds: 0.6 }
				: { name: 'tokens', limit: 40_000, remaining: 40_000 - this.tokensUsed, reset_seconds: (this.tokensUsed / 40_000) * 60 }
		];
	}
}
