/**
 * Llama 3.3 as the AI binding streams it (`stream: true`): server-sent events of `{ response }`
 * pieces, the token counts with the last one, then `[DONE]`. The reply is picked by how many
 * interviewer turns the prompt already holds. A prompt that does not fit the model's context
 * window is refused as Workers AI refuses it: error 5021, before anything streams.
 */

/** Llama 3.3 70B (fp8-fast) on Workers AI: 24,000 tokens for the prompt and the reply together. */
export const CONTEXT_TOKENS = 24_000;

/** The fake's token count: a token per four characters, as a rough tokenizer would make it. */
export const tokensOf = (messages: Message[]) => Math.ceil(messages.reduce((sum, message) => sum + message.content.length, 0) / 4);

/** The replies of an interview the instructions hold in Spanish. */
export const AI_REPLIES_ES = [
	'Hola, gracias por venir. ¿Cuál es su función?',
	'Gracias. ¿Qué herramientas usa cada día?',
	'Interesante. ¿Cómo fue su primera semana?',
	'Gracias por su tiempo. Adiós.'
];

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

/** The model's HTTP answer: the stream, or the context-window error when prompt and reply cannot fit. */
export function answer(messages: Message[], maxTokens: number, end: StreamEnd, contextTokens: number): Response {
	const needed = tokensOf(messages) + maxTokens;
	if (needed > contextTokens) {
		const message = `The estimated number of input and maximum output tokens (${needed}) exceeded this model context window limit (${contextTokens}).`;
		return new Response(JSON.stringify({ errors: [{ code: 5021, message }], success: false }), {
			status: 413,
			headers: { 'content-type': 'application/json' }
		});
	}
	return new Response(streamReply(messages, end), { headers: { 'content-type': 'text/event-stream' } });
}

/** A moderator's note that names a guide question is followed: the reply asks it. */
const MODERATOR_NOTE = /^\(Note from the moderator:.*\[[^\]]+\] ([^;.]*\?)/s;

function replyTo(messages: Message[]): string {
	const named = MODERATOR_NOTE.exec(messages.at(-1)?.content ?? '');
	if (named) return `There is one more thing I would like to ask. ${named[1]}`;
	const said = messages.filter((message) => message.role === 'assistant').length;
	const replies = messages[0]?.content.includes('Conduct the interview in Spanish') ? AI_REPLIES_ES : AI_REPLIES;
	return replies[Math.min(said, replies.length - 1)]!;
}

function streamReply(messages: Message[], end: StreamEnd): ReadableStream<Uint8Array> {
	const reply = replyTo(messages);
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
