/**
 * What we send to OpenAI Realtime (GA protocol). Every event is a value of the `openai` SDK's client
 * event types, so a misspelt event type or field fails to compile; the socket carries its JSON.
 */
import type {
	ConversationItemCreateEvent,
	ConversationItemTruncateEvent,
	InputAudioBufferAppendEvent,
	RealtimeAudioInputTurnDetection,
	RealtimeClientEvent,
	ResponseCancelEvent,
	ResponseCreateEvent,
	SessionUpdateEvent
} from 'openai/resources/realtime/realtime';
import type { Turn } from '../../contracts/protocol';
import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import { buildInstructions } from '../instructions';
import { turnTakingOf } from '../patience';
import { toBase64 } from '../pcm';
import type { InterviewBrief, QuestionView } from '../provider';
import { MODERATION_TOOLS } from './tools';

export type TurnDetectionMode = RealtimeAudioInputTurnDetection['type'];

/** The text of one message on the socket. */
export const encode = (event: RealtimeClientEvent): string => JSON.stringify(event);

/** An id for a client event whose answer we wait for: OpenAI quotes it in an `error` about that event. */
export const clientEventId = (kind: string) => `${kind}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;

/**
 * Turn detection for the interviewer's patience. Semantic VAD hears whether a sentence is finished,
 * so a pause to think is not taken for the end of an answer; server VAD (the fallback where
 * semantic VAD is refused) can only count silence, the patience's silence.
 */
export function turnDetection(brief: InterviewBrief, mode: TurnDetectionMode): RealtimeAudioInputTurnDetection {
	const taking = turnTakingOf(brief);
	if (mode === 'semantic_vad') {
		return { type: 'semantic_vad', eagerness: taking.openAiEagerness, create_response: true, interrupt_response: true };
	}
	return { type: 'server_vad', silence_duration_ms: taking.serverVadSilenceMs, create_response: true, interrupt_response: true };
}

/**
 * The session's configuration: instructions for the time left, spoken replies (audio, with their
 * transcript: asked for, not left to a default), PCM both ways, transcription of the respondent,
 * turn detection and the voice.
 */
export function sessionUpdate(
	brief: InterviewBrief,
	remainingMs: number,
	mode: TurnDetectionMode,
	eventId: string,
	questions?: QuestionView[]
): SessionUpdateEvent {
	const language = brief.language && brief.language !== 'auto' ? { language: brief.language } : {};
	// With a plan to moderate by, the model reports on it through function tools; the guide lists each question's id and state.
	const moderated = questions && questions.length > 0;
	return {
		type: 'session.update',
		event_id: eventId,
		session: {
			type: 'realtime',
			instructions: buildInstructions(brief, remainingMs, moderated ? { questions, reporting: 'tools' } : undefined),
			output_modalities: ['audio'],
			...(moderated ? { tools: MODERATION_TOOLS, tool_choice: 'auto' as const } : {}),
			audio: {
				input: {
					format: { type: 'audio/pcm', rate: SAMPLE_RATE },
					transcription: { model: 'gpt-4o-mini-transcribe', ...language },
					turn_detection: turnDetection(brief, mode)
				},
				output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: brief.voice }
			}
		}
	};
}

/** A typed answer (and the respondent's turns when the conversation is replayed). */
export const userText = (text: string): ConversationItemCreateEvent => ({
	type: 'conversation.item.create',
	item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] }
});

const assistantMessage = (text: string): ConversationItemCreateEvent => ({
	type: 'conversation.item.create',
	item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }
});

/**
 * The stored conversation as items, so a new upstream session remembers what was said; turns
 * without words (untranscribed voice) are left out. `awaitingReply`: the respondent spoke last.
 */
export function historyItems(history: readonly Turn[]): { items: ConversationItemCreateEvent[]; awaitingReply: boolean } {
	const turns = history.filter((turn) => turn.final && turn.transcribed !== false && turn.text.trim());
	const items = turns.map((turn) => (turn.role === 'interviewer' ? assistantMessage(turn.text) : userText(turn.text)));
	return { items, awaitingReply: turns.length > 0 && turns[turns.length - 1]!.role === 'respondent' };
}

/** A note from us, not the respondent: the wrap-up nudge. */
export const systemNote = (text: string): ConversationItemCreateEvent => ({
	type: 'conversation.item.create',
	item: { type: 'message', role: 'system', content: [{ type: 'input_text', text }] }
});

export const audioAppend = (pcm: ArrayBuffer): InputAudioBufferAppendEvent => ({ type: 'input_audio_buffer.append', audio: toBase64(pcm) });

/**
 * `audioAppend`'s JSON, written out: it goes upstream for every respondent frame, and base64 needs no
 * escaping, so the string is built once instead of serialising an object around a 13 KB string.
 */
export const audioAppendJson = (pcm: ArrayBuffer): string => `{"type":"input_audio_buffer.append","audio":"${toBase64(pcm)}"}`;

export const createResponse = (eventId: string): ResponseCreateEvent => ({ type: 'response.create', event_id: eventId });

export const cancelResponse = (): ResponseCancelEvent => ({ type: 'response.cancel' });

/** Cuts an interviewer item to the audio the respondent heard, so the model knows what was said. */
export const truncateItem = (itemId: string, audioEndMs: number): ConversationItemTruncateEvent => ({
	type: 'conversation.item.truncate',
	item_id: itemId,
	content_index: 0,
	audio_end_ms: audioEndMs
});
