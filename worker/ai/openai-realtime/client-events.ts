/** What we send to OpenAI Realtime (GA protocol): each client event as the JSON text of one message. */
import type { Turn } from '../../contracts/protocol';
import { SAMPLE_RATE } from '../../contracts/protocol-constants';
import { buildInstructions } from '../instructions';
import { toBase64 } from '../pcm';
import type { InterviewBrief } from '../provider';

const message = (role: 'user' | 'assistant' | 'system', type: 'input_text' | 'output_text', text: string) =>
	JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role, content: [{ type, text }] } });

/** The session's configuration: instructions for the time left, PCM both ways, transcription, server VAD and the voice. */
export function sessionUpdate(brief: InterviewBrief, remainingMs: number): string {
	const transcription: Record<string, unknown> = { model: 'gpt-4o-mini-transcribe' };
	if (brief.language && brief.language !== 'auto') transcription.language = brief.language;
	return JSON.stringify({
		type: 'session.update',
		session: {
			type: 'realtime',
			instructions: buildInstructions(brief, remainingMs),
			audio: {
				input: {
					format: { type: 'audio/pcm', rate: SAMPLE_RATE },
					transcription,
					turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true, silence_duration_ms: 600 }
				},
				output: { format: { type: 'audio/pcm', rate: SAMPLE_RATE }, voice: brief.voice }
			}
		}
	});
}

/**
 * The stored conversation as items, so a new upstream session remembers what was said; turns
 * without words (untranscribed voice) are left out. `awaitingReply`: the respondent spoke last.
 */
export function historyItems(history: readonly Turn[]): { items: string[]; awaitingReply: boolean } {
	const turns = history.filter((turn) => turn.final && turn.transcribed !== false && turn.text.trim());
	const items = turns.map((turn) =>
		turn.role === 'interviewer' ? message('assistant', 'output_text', turn.text) : message('user', 'input_text', turn.text)
	);
	return { items, awaitingReply: turns.length > 0 && turns[turns.length - 1]!.role === 'respondent' };
}

export const userText = (text: string) => message('user', 'input_text', text);
/** A note from us, not the respondent: the wrap-up nudge. */
export const systemNote = (text: string) => message('system', 'input_text', text);
export const audioAppend = (pcm: ArrayBuffer) => JSON.stringify({ type: 'input_audio_buffer.append', audio: toBase64(pcm) });
export const createResponse = () => JSON.stringify({ type: 'response.create' });
export const cancelResponse = () => JSON.stringify({ type: 'response.cancel' });
/** Cuts an interviewer item to the audio the respondent heard, so the model knows what was said. */
export const truncateItem = (itemId: string, audioEndMs: number) =>
	JSON.stringify({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: audioEndMs });
