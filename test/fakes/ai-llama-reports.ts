/**
 * Llama 3.3 on a fake Workers AI binding, as the report job uses it (`messages`, `max_tokens`,
 * `response_format: json_schema`, answer in `response`). It counts a prompt's tokens its own way,
 * closer to Llama 3's tokenizer than the Worker's conservative estimate (Latin words at about four
 * letters a token, Cyrillic at three), and refuses a prompt whose tokens and `max_tokens` exceed
 * its window with Workers AI's own error. Otherwise it answers from what it was shown: a partial
 * report citing the first respondent turn of the transcripts it got, or, given partial reports,
 * their merge. It records every call.
 */

export const LLAMA_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';

type Message = { role: string; content: string };
type Citation = { recordId: string; turnId: string; text: string };
export type LlamaCall = { kind: 'whole' | 'part' | 'merge'; promptTokens: number; maxTokens: number; turnIds: string[]; prompt: string };

/** About what Llama 3's tokenizer makes of a text: words by script, digits in threes, other characters one each. */
export function llamaTokens(text: string): number {
	let tokens = 0;
	for (const match of text.matchAll(/(\p{Script=Latin}+)|(\p{Script=Cyrillic}+)|(\d{1,3})|(\s+)|(.)/gsu)) {
		if (match[1]) tokens += Math.ceil(match[1].length / 4);
		else if (match[2]) tokens += Math.ceil(match[2].length / 3);
		else if (match[3] || match[5]) tokens += 1;
	}
	return tokens;
}

const promptTokens = (messages: Message[]) => messages.reduce((sum, message) => sum + 4 + llamaTokens(message.content), 1);

/** The turns shown in a prompt's transcripts, with the record each belongs to. */
function shownTurns(prompt: string): Array<Citation & { speaker: string }> {
	const turns: Array<Citation & { speaker: string }> = [];
	let recordId = '';
	for (const line of prompt.split('\n')) {
		const heading = /^## Record (\S+) — /.exec(line);
		if (heading) recordId = heading[1]!;
		const turn = /^\[(\S+) @ [^\]]+\] ([^:]+): (.*)$/.exec(line);
		if (turn) turns.push({ recordId, turnId: turn[1]!, speaker: turn[2]!, text: turn[3]! });
	}
	return turns;
}

function partReport(prompt: string, single: boolean) {
	const turns = shownTurns(prompt);
	const said = turns.find((turn) => turn.speaker === 'Respondent') ?? turns[0]!;
	const quote: Citation = { recordId: said.recordId, turnId: said.turnId, text: said.text.slice(0, 120) };
	const summary = `Turns ${turns[0]!.turnId}–${turns.at(-1)!.turnId}.`;
	const findings = [{ goal: 'Learn how new users get started.', findings: [summary] }];
	if (single)
		return {
			summary,
			findings,
			answers: [{ questionId: 'q1', question: 'What is your role?', answers: [quote] }],
			quotes: [quote],
			sentiment: { label: 'neutral', explanation: 'Calm.' }
		};
	return {
		summary,
		themes: [{ title: 'Work', description: summary, recordCount: 1, quotes: [quote] }],
		findings,
		contradictions: [],
		outliers: [],
		followUpQuestions: ['What changed?']
	};
}

/** The partial reports in a merge prompt, merged by concatenation. */
function mergeReport(prompt: string, single: boolean) {
	const partials = [...prompt.matchAll(/^## Part \d+\n(.*)$/gm)].map((match) => JSON.parse(match[1]!));
	const summary = `Merged ${partials.length} parts: ${partials.map((partial) => partial.summary).join(' ')}`;
	const findings = [{ goal: 'Learn how new users get started.', findings: partials.flatMap((partial) => partial.findings[0].findings) }];
	if (single)
		return {
			summary,
			findings,
			answers: [{ questionId: 'q1', question: 'What is your role?', answers: partials.flatMap((partial) => partial.answers[0].answers) }],
			quotes: partials.flatMap((partial) => partial.quotes).slice(0, 30),
			sentiment: partials[0].sentiment
		};
	return {
		summary,
		themes: [
			{ title: 'Work', description: summary, recordCount: 1, quotes: partials.flatMap((partial) => partial.themes[0].quotes).slice(0, 10) }
		],
		findings,
		contradictions: [],
		outliers: [],
		followUpQuestions: ['What changed?']
	};
}

export function createFakeLlama(options: { contextTokens?: number } = {}) {
	const window = options.contextTokens ?? 24_000;
	const calls: LlamaCall[] = [];
	const refusals: number[] = [];
	return {
		calls,
		refusals,
		async run(model: string, inputs: Record<string, unknown>): Promise<unknown> {
			if (model !== LLAMA_MODEL) throw new Error(`the fake AI binding has no model ${model}`);
			const messages = inputs.messages as Message[];
			const maxTokens = typeof inputs.max_tokens === 'number' ? inputs.max_tokens : 256;
			const tokens = promptTokens(messages);
			if (tokens + maxTokens > window) {
				refusals.push(tokens + maxTokens);
				throw new Error(
					`5021: The estimated number of input and maximum output tokens (${tokens + maxTokens}) exceeded this model context window limit (${window}).`
				);
			}
			const prompt = messages.at(-1)!.content;
			const schema = (inputs.response_format as { json_schema: { properties: Record<string, unknown> } }).json_schema;
			const single = 'sentiment' in schema.properties;
			const kind = prompt.includes('# Partial reports') ? 'merge' : /part \d+ of \d+/.test(prompt) ? 'part' : 'whole';
			calls.push({
				kind,
				promptTokens: tokens,
				maxTokens,
				turnIds: shownTurns(prompt).map((turn) => `${turn.recordId}/${turn.turnId}`),
				prompt
			});
			const response = kind === 'merge' ? mergeReport(prompt, single) : partReport(prompt, single);
			return { response, usage: { prompt_tokens: tokens, completion_tokens: 300, total_tokens: tokens + 300 } };
		}
	};
}
