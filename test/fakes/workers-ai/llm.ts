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

export function streamReply(messages: Message[]): ReadableStream<Uint8Array> {
	const said = messages.filter((message) => message.role === 'assistant').length;
	const reply = AI_REPLIES[Math.min(said, AI_REPLIES.length - 1)]!;
	const pieces = reply.match(/.{1,7}/gs) ?? [];
	const encoder = new TextEncoder();
	const events = [
		...pieces.map((piece) => `data: ${JSON.stringify({ response: piece, p: 'abc' })}\n\n`),
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
