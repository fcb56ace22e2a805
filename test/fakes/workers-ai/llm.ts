/**
 * Llama 3.3 as the AI binding streams it (`stream: true`): server-sent events of `{ response }`
 * pieces, the token counts with the last one, then `[DONE]`. The reply is picked by how many
 * interviewer turns the prompt already holds.
 */

export const AI_REPLIES = [
	'Hello, thanks for joining. What is your role?',
	'Thank you. Which tools do you use every day?',
	'Interesting. How did your first week go?',
	'Thank you for your time. Goodbye.'
];

export type Message = { role: string; content: string };

/**
 * How the stream ends: `done` as Workers AI ends it (the usage event, then `[DONE]`), or `cut`: the
 * last text event is the last thing sent, with no newline after it (a stream closed at an event's
 * end, with nothing to mark it).
 */
export type StreamEnd = 'done' | 'cut';

export function streamReply(messages: Message[], end: StreamEnd): ReadableStream<Uint8Array> {
	const said = messages.filter((message) => message.role === 'assistant').length;
	const reply = AI_REPLIES[Math.min(said, AI_REPLIES.length - 1)]!;
	const pieces = reply.match(/.{1,7}/gs) ?? [];
	const encoder = new TextEncoder();
	const text = pieces.map((piece) => `data: ${JSON.stringify({ response: piece, p: 'abc' })}`);
	const events =
		end === 'cut'
			? [...text.slice(0, -1).map((event) => `${event}\n\n`), text.at(-1)!]
			: [
					...text.map((event) => `${event}\n\n`),
					`data: ${JSON.stringify({ response: '', usage: { prompt_tokens: 120, completion_tokens: 14, total_tokens: 134 } })}\n\n`,
					'data: [DONE]\n\n'
				];
	return new ReadableStream({
		start(controller) {
			for (const event of events) controller.enqueue(encoder.encode(event));
			controller.close();
		}
	});
}
