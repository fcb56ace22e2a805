/**
 * One connection to the fake OpenAI Realtime server: it reads the client's events as OpenAI does,
 * refuses what OpenAI refuses (with an `error` the session survives), hears speech with a small
 * energy VAD run by the session's turn detection, answers with scripted transcripts and replies, and
 * fails on cue. Everything it received is kept for the tests to read.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationItem, RealtimeError, RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import { BYTES_PER_MS, decodeAppend, rms, sha256 } from './audio.ts';
import { defaultSession, updateSession, type SessionConfig } from './config.ts';
import { ERROR_EVENTS, type Fault } from './faults.ts';
import { Responses } from './responses.ts';
import { FakeToolUse } from './tools.ts';
import type { ConnectionTraits, FakeSessionSummary, FakeSettings, ServerEventBody, WebSocket } from './types.ts';

/** The silence after which semantic VAD takes a turn as ended: the fake's answers are whole sentences, so it hears their end at once. */
const SEMANTIC_END_MS = 300;
const LOUD_RMS = 1_000;

const CONTENT_TYPES: Record<string, string[]> = {
	user: ['input_text', 'input_audio'],
	system: ['input_text'],
	assistant: ['output_text', 'output_audio']
};

export class FakeSession {
	readonly id = `sess_${randomUUID().slice(0, 12)}`;
	refused: string | null = null;
	/** Every `session.update`'s instructions, accepted or not: what tests find their sessions by. */
	seenInstructions = '';
	session: SessionConfig;
	readonly updates: unknown[] = [];
	readonly eventTypes: string[] = [];
	readonly protocolErrors: string[] = [];
	readonly errors: RealtimeError[] = [];
	readonly faults: string[] = [];
	readonly audio: Buffer[] = [];
	audioBytes = 0;
	readonly items: FakeSessionSummary['items'] = [];
	readonly truncates: FakeSessionSummary['truncates'] = [];
	closed = false;
	private armed: Fault[] = [];
	private bufferMs = 0;
	private speaking: { itemId: string; quietMs: number } | null = null;
	private transcriptIndex = 0;
	/** Events held back until the client's next event has been handled (the `busy` fault). */
	private afterNextEvent: (() => void) | null = null;
	private readonly responses: Responses;
	private readonly tools = new FakeToolUse();
	readonly socket: WebSocket;
	readonly model: string | null;
	private readonly settings: FakeSettings;
	private readonly traits: ConnectionTraits;

	constructor(socket: WebSocket, model: string | null, settings: FakeSettings, traits: ConnectionTraits) {
		this.socket = socket;
		this.model = model;
		this.settings = settings;
		this.traits = traits;
		this.session = defaultSession(model);
		this.responses = new Responses({
			settings,
			send: (event) => this.send(event),
			take: (...kinds) => this.take(...kinds),
			assistantItems: () => this.items.filter((item) => item.role === 'assistant').length,
			textOnly: () => this.session.output_modalities?.[0] === 'text',
			toolCalls: (transcript) => this.tools.callsFor(transcript),
			steeredReply: () => this.tools.steeredReply(),
			firstAudioMs: traits.firstAudioMs,
			terminate: () => socket.terminate()
		});
	}

	send(event: ServerEventBody): void {
		if (this.socket.readyState === this.socket.OPEN)
			this.socket.send(JSON.stringify({ event_id: `event_${randomUUID().slice(0, 8)}`, ...event }));
	}

	private sendError(error: Omit<RealtimeError, 'event_id'>, eventId: string | null): void {
		const full = { ...error, event_id: eventId };
		this.errors.push(full);
		this.send({ type: 'error', error: full });
	}

	/** The client's own event was refused. */
	private fail(message: string, code: string, eventId: string | null = null, param: string | null = null): void {
		this.protocolErrors.push(message);
		this.sendError({ type: 'invalid_request_error', code, message, param }, eventId);
	}

	/** A fault to produce: an `error` event at once, anything else when its moment comes. */
	arm(fault: Fault): void {
		if (fault.kind !== 'error') return void this.armed.push(fault);
		this.faults.push(`error:${fault.error}`);
		this.sendError(ERROR_EVENTS[fault.error], null);
	}

	private take<K extends Fault['kind']>(...kinds: K[]): Extract<Fault, { kind: K }> | null {
		const index = this.armed.findIndex((fault) => (kinds as string[]).includes(fault.kind));
		if (index < 0) return null;
		const [fault] = this.armed.splice(index, 1) as [Extract<Fault, { kind: K }>];
		this.faults.push(Object.values(fault).join(':'));
		return fault;
	}

	/** The configuration as `session.created` and `session.updated` show it. */
	effective(): RealtimeSessionCreateRequest {
		return Object.assign({ id: this.id }, this.session);
	}

	summary(): FakeSessionSummary {
		return {
			id: this.id,
			model: this.model,
			refused: this.refused,
			instructions: String(this.session.instructions ?? ''),
			session: this.session,
			updates: this.updates,
			eventTypes: this.eventTypes,
			protocolErrors: this.protocolErrors,
			errors: this.errors,
			faults: this.faults,
			audioBytes: this.audioBytes,
			audioSha256: sha256(Buffer.concat(this.audio)),
			items: this.items,
			replies: this.responses.replies.map((reply) => ({
				itemId: reply.itemId,
				transcript: reply.transcript,
				audioSha256: sha256(reply.audio.subarray(0, reply.sentBytes)),
				audioBytes: reply.sentBytes,
				status: reply.status
			})),
			truncates: this.truncates,
			toolCalls: this.tools.calls,
			toolOutputs: this.tools.outputs,
			closed: this.closed
		};
	}

	onMessage(data: string): void {
		const held = this.afterNextEvent;
		this.afterNextEvent = null;
		this.handle(data);
		held?.();
	}

	private handle(data: string): void {
		let event: Record<string, any>;
		try {
			event = JSON.parse(data);
		} catch {
			return this.fail('The message is not JSON.', 'invalid_json');
		}
		const eventId = typeof event.event_id === 'string' ? event.event_id : null;
		this.eventTypes.push(String(event.type));
		switch (event.type) {
			case 'session.update':
				return this.onSessionUpdate(event.session, eventId);
			case 'input_audio_buffer.append':
				return this.onAppend(event.audio, eventId);
			case 'conversation.item.create':
				return this.onItem(event.item ?? {}, eventId);
			case 'conversation.item.truncate':
				return this.onTruncate(event, eventId);
			case 'response.create':
				// Echo mode answers audio with audio only; a reply would skew the benchmark.
				return this.settings.mode === 'echo' ? undefined : this.respond(eventId);
			case 'response.cancel':
				if (!this.responses.cancel()) this.fail('There is no active response to cancel.', 'response_cancel_not_active', eventId);
				return;
			case 'input_audio_buffer.commit':
			case 'input_audio_buffer.clear':
				return;
			default:
				return this.fail(`Unknown or retired event type: ${event.type}`, 'invalid_value', eventId, 'type');
		}
	}

	private onSessionUpdate(update: unknown, eventId: string | null): void {
		this.updates.push(update);
		const instructions = (update as { instructions?: unknown } | undefined)?.instructions;
		if (typeof instructions === 'string') this.seenInstructions += `\n${instructions}`;
		const result = updateSession(this.session, update, { spoke: this.responses.spoke, semanticVad: this.traits.semanticVad });
		if ('refusal' in result) {
			this.protocolErrors.push(result.refusal.message);
			return this.sendError(result.refusal, eventId);
		}
		this.session = result.session;
		this.tools.configure(this.session);
		this.send({ type: 'session.updated', session: this.effective() });
	}

	private respond(eventId: string | null, afterFirstAudio?: () => void): void {
		const refusal = eventId !== null ? this.take('response-refused') : null;
		if (refusal) return this.sendError(ERROR_EVENTS[refusal.error], eventId);
		if (this.responses.isActive) {
			afterFirstAudio?.();
			return this.fail('Conversation already has an active response', 'conversation_already_has_active_response', eventId);
		}
		const { deferred } = this.responses.start(afterFirstAudio);
		if (deferred) this.afterNextEvent = deferred;
	}

	private onAppend(audio: unknown, eventId: string | null): void {
		const pcm = decodeAppend(audio);
		if (typeof pcm === 'string') return this.fail(pcm, 'invalid_value', eventId, 'audio');
		this.audio.push(pcm);
		this.audioBytes += pcm.byteLength;
		if (this.settings.mode === 'echo') {
			const base = { response_id: 'resp_echo', item_id: 'item_echo', output_index: 0, content_index: 0 };
			return this.send({ type: 'response.output_audio.delta', ...base, delta: audio as string });
		}
		const ms = pcm.byteLength / BYTES_PER_MS;
		this.hear(rms(pcm) > LOUD_RMS, ms);
		this.bufferMs += ms;
	}

	/** The session's turn detection over one appended chunk: none, server VAD (its silence) or semantic VAD. */
	private hear(loud: boolean, ms: number): void {
		const detection = this.session.audio?.input?.turn_detection;
		if (!detection) return;
		if (loud && !this.speaking) {
			const itemId = `item_${randomUUID().slice(0, 12)}`;
			this.speaking = { itemId, quietMs: 0 };
			this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: Math.round(this.bufferMs), item_id: itemId });
			if (detection.interrupt_response !== false) this.responses.cancel();
			return;
		}
		if (!this.speaking) return;
		this.speaking.quietMs = loud ? 0 : this.speaking.quietMs + ms;
		const endMs = detection.type === 'semantic_vad' ? SEMANTIC_END_MS : (detection.silence_duration_ms ?? 500);
		if (this.speaking.quietMs < endMs) return;
		const { itemId } = this.speaking;
		this.speaking = null;
		this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(this.bufferMs + ms), item_id: itemId });
		this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: null });
		this.send({ type: 'conversation.item.added', item: { id: itemId, type: 'message', role: 'user', content: [{ type: 'input_audio' }] } });
		const transcript = this.settings.transcripts[this.transcriptIndex++ % this.settings.transcripts.length]!;
		this.items.push({ role: 'user', type: 'input_audio', text: transcript });
		this.tools.heardRespondent();
		const transcribe = () => this.transcribe(itemId, transcript);
		// As in the real service, the reply can start before the transcription arrives.
		if (detection.create_response !== false) this.respond(null, transcribe);
		else transcribe();
	}

	private transcribe(itemId: string, transcript: string): void {
		if (this.take('transcription-failed')) {
			return this.send({
				type: 'conversation.item.input_audio_transcription.failed',
				item_id: itemId,
				content_index: 0,
				error: { type: 'transcription_error', code: 'audio_unintelligible', message: 'The audio could not be transcribed.' }
			});
		}
		this.send({
			type: 'conversation.item.input_audio_transcription.completed',
			item_id: itemId,
			content_index: 0,
			transcript,
			usage: { type: 'duration', seconds: 2 }
		});
	}

	private onItem(item: Record<string, any>, eventId: string | null): void {
		if (item.type === 'function_call_output') return this.onToolOutput(item, eventId);
		if (item.type !== 'message') return this.fail('only message items are supported by the fake', 'invalid_value', eventId, 'item.type');
		const content = Array.isArray(item.content) ? item.content : [];
		const allowed = CONTENT_TYPES[item.role];
		if (!allowed || content.length === 0 || content.some((part: any) => !allowed.includes(part.type))) {
			const types = JSON.stringify(content.map((part: any) => part.type));
			return this.fail(`bad content for a ${item.role} message: ${types}`, 'invalid_value', eventId, 'item.content');
		}
		if (item.role === 'user' && String(content[0].text ?? '').includes('[[upstream-error]]')) {
			// An upstream error whose message quotes the key, as OpenAI's auth errors do: the app must not pass it on.
			const message = `Incorrect API key provided: ${this.settings.apiKey}.`;
			return this.sendError({ type: 'invalid_request_error', code: 'invalid_api_key', message, param: null }, eventId);
		}
		// Checked above: a message of a role and content OpenAI accepts.
		const added = { ...item, id: item.id ?? `item_${randomUUID().slice(0, 12)}` } as ConversationItem;
		this.items.push({
			role: item.role,
			type: content[0].type,
			text: content.map((part: any) => part.text ?? part.transcript ?? '').join(' ')
		});
		this.send({ type: 'conversation.item.added', item: added });
		this.send({ type: 'conversation.item.done', item: added });
		if (item.role === 'user') this.tools.heardRespondent();
		if (item.role === 'user' && this.armed.some((fault) => fault.kind === 'busy')) this.respond(null);
	}

	/** The answer to one of the model's function calls: kept, and a refused goodbye steers the next reply. */
	private onToolOutput(item: Record<string, any>, eventId: string | null): void {
		const refusal = this.tools.output(item);
		if (refusal) return this.fail(refusal, 'invalid_value', eventId, 'item.call_id');
		const added = {
			id: `item_${randomUUID().slice(0, 12)}`,
			type: 'function_call_output' as const,
			call_id: item.call_id,
			output: item.output
		};
		this.items.push({ role: 'tool', type: 'function_call_output', text: String(item.output) });
		this.send({ type: 'conversation.item.added', item: added });
		this.send({ type: 'conversation.item.done', item: added });
	}

	private onTruncate(event: Record<string, any>, eventId: string | null): void {
		const reply = this.responses.find(event.item_id);
		if (!reply) return this.fail('unknown item', 'item_truncate_invalid_item_id', eventId, 'item_id');
		const audioMs = reply.sentBytes / BYTES_PER_MS;
		if (!Number.isInteger(event.audio_end_ms) || event.audio_end_ms < 0)
			return this.fail(`Invalid 'audio_end_ms': ${event.audio_end_ms}.`, 'invalid_value', eventId, 'audio_end_ms');
		if (event.audio_end_ms > audioMs)
			return this.fail(
				`Audio content of ${audioMs}ms is already shorter than ${event.audio_end_ms}ms`,
				'invalid_value',
				eventId,
				'audio_end_ms'
			);
		this.truncates.push({ item_id: event.item_id, content_index: event.content_index, audio_end_ms: event.audio_end_ms });
		this.send({
			type: 'conversation.item.truncated',
			item_id: event.item_id,
			content_index: event.content_index,
			audio_end_ms: event.audio_end_ms
		});
	}
}
