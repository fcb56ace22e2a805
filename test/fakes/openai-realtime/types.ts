/** The fake OpenAI Realtime server's shared shapes: its options, what it reports, and its events. */
import type { RealtimeError, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { FakeToolCall, FakeToolOutput } from './tools.ts';

/** The part of a `ws` socket the fake uses (`ws` is loaded through require: see ../openai-realtime.ts). */
export type WebSocket = {
	readonly OPEN: number;
	readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	terminate(): void;
	on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
	on(event: 'close', listener: () => void): void;
};

export type FakeRealtimeOptions = {
	/** `script`: VAD, transcripts and scripted replies. `echo`: every appended chunk comes straight back as an audio delta. */
	mode?: 'script' | 'echo';
	apiKey?: string;
	replies?: string[];
	transcripts?: string[];
	/** Milliseconds of synthetic audio per character of a reply. */
	msPerChar?: number;
	port?: number;
};

export type FakeSettings = Required<Omit<FakeRealtimeOptions, 'port'>>;

/**
 * What one connection asked of the fake in its URL's query, besides the model: how the real service
 * can differ from one session to the next.
 */
export type ConnectionTraits = {
	/** `fake_semantic_vad=unsupported`: this session refuses semantic VAD, as some models and accounts do. */
	semanticVad: boolean;
	/** `fake_first_audio_ms=N`: the first response's audio starts N ms after the response does. */
	firstAudioMs: number;
};

/** A server event as the fake builds it: the SDK's type, without the event id the fake adds on sending. */
type WithoutEventId<T> = T extends unknown ? Omit<T, 'event_id'> : never;
export type ServerEventBody = WithoutEventId<RealtimeServerEvent>;

export type FakeSessionSummary = {
	id: string;
	model: string | null;
	refused: string | null;
	/** The instructions the session runs (OpenAI's default until a `session.update` is accepted). */
	instructions: string;
	/** The effective configuration: OpenAI's defaults, with every accepted `session.update` merged in. */
	session: Record<string, any>;
	/** The `session` of every `session.update`, as the client sent it (accepted or not). */
	updates: unknown[];
	/** Every client event's type, in order. */
	eventTypes: string[];
	/** The messages of the errors the client's own events caused (injected faults are not here). */
	protocolErrors: string[];
	/** Every `error` event the fake sent, injected or not. */
	errors: RealtimeError[];
	/** The faults that fired, in order. */
	faults: string[];
	audioBytes: number;
	audioSha256: string;
	items: Array<{ role: string; type: string; text: string }>;
	replies: Array<{ itemId: string; transcript: string; audioSha256: string; audioBytes: number; status: string }>;
	truncates: Array<{ item_id: string; content_index: number; audio_end_ms: number }>;
	/** The moderation tools the fake model called, and the answers the client gave them. */
	toolCalls: FakeToolCall[];
	toolOutputs: FakeToolOutput[];
	closed: boolean;
};
