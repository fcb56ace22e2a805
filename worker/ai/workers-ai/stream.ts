/** Stream helpers for the Workers AI cascade: SSE from the LLM, sentences for TTS, PCM frames. */
import { FRAME_BYTES } from '../../contracts/protocol-constants';

/** One event of the text-generation stream: a piece of the reply's text, and the token counts with the last one. */
export type LlmChunk = Partial<
	Pick<Extract<Ai_Cf_Meta_Llama_3_3_70B_Instruct_Fp8_Fast_Output, { response: string }>, 'response' | 'usage'>
>;

/** One line of the stream: its event, `done` at `[DONE]`, or null for a line that carries none (a comment, a blank, a malformed event). */
function sseLine(raw: string): LlmChunk | 'done' | null {
	const line = raw.trim();
	if (!line.startsWith('data:')) return null;
	const data = line.slice(5).trim();
	if (data === '[DONE]') return 'done';
	try {
		return JSON.parse(data) as LlmChunk;
	} catch {
		return null;
	}
}

/**
 * The text-generation stream (`stream: true`): server-sent events of `{ response }`, ending with
 * `[DONE]`. A stream may also just end: its last line then has no newline, and still counts.
 */
export async function* readSse(stream: ReadableStream<Uint8Array>): AsyncGenerator<LlmChunk> {
	const decoder = new TextDecoder();
	let buffer = '';
	const reader = stream.getReader();
	for (;;) {
		const { value, done } = await reader.read();
		buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
		const lines = buffer.split('\n');
		buffer = done ? '' : lines.pop()!;
		for (const line of lines) {
			const event = sseLine(line);
			if (event === 'done') return;
			if (event) yield event;
		}
		if (done) return;
	}
}

/** Cuts streamed text into sentences as soon as each one ends. */
export function sentences() {
	let buffer = '';
	return {
		push(text: string): string[] {
			buffer += text;
			const out: string[] = [];
			const pattern = /[^.!?…]*[.!?…]+["')\]]*\s+/y;
			let match: RegExpExecArray | null;
			pattern.lastIndex = 0;
			let consumed = 0;
			while ((match = pattern.exec(buffer))) {
				const sentence = match[0].trim();
				if (sentence) out.push(sentence);
				consumed = pattern.lastIndex;
			}
			buffer = buffer.slice(consumed);
			return out;
		},
		end(): string {
			const rest = buffer.trim();
			buffer = '';
			return rest;
		}
	};
}

/** 40 ms PCM16 frames (the last may be shorter; an odd trailing byte is dropped). */
export function* toFrames(bytes: Uint8Array, frameBytes = FRAME_BYTES): Generator<ArrayBuffer> {
	const usable = bytes.byteLength - (bytes.byteLength % 2);
	for (let offset = 0; offset < usable; offset += frameBytes) {
		const end = Math.min(usable, offset + frameBytes);
		yield bytes.slice(offset, end).buffer;
	}
}
