import type { z } from 'zod';
import { ReportGenerationError } from '../errors';
import type { ReportContext } from '../local';
import { transcriptParts } from './parts';
import { backgroundBlocks, messages, SYSTEM_PROMPT, TASKS, type ReportKind } from './prompts';
import { jsonSchemaOf } from './schema';
import { estimateTokens } from './tokens';
import { askWorkersAi, ContextOverflow, CONTEXT_TOKENS, MAX_OUTPUT_TOKENS } from './workers-ai';

/**
 * A report through Workers AI, whose Llama has a 24,000-token window: the transcripts are split
 * into parts that fit it by a conservative token count, each part gets a partial report (map),
 * and the partial reports are merged, a few at a time if they do not fit together, into one
 * (reduce). Transcripts that fit in one part get one call, the same as before. Should the model
 * still find a prompt too long, that part or group is halved and asked again.
 */

/** Room in the window for the prompt: less the answer's room and the chat template's own tokens. */
const PROMPT_BUDGET = CONTEXT_TOKENS - MAX_OUTPUT_TOKENS - 600;
/** Parts written at once: fewer minutes per report, well inside Workers AI's rate limits. */
const CONCURRENCY = 3;
/** How many times a part the model refused is halved before the report fails. */
const MAX_HALVINGS = 3;

const TOO_LONG = 'The interview is too long for Workers AI to write a report on it.';

const partTask = (kind: ReportKind, index: number, count: number) =>
	`${TASKS[kind]}\nThese transcripts are part ${index + 1} of ${count}, in order: report on this part only; a later step merges the parts.`;

const MERGE_TASKS: Record<ReportKind, string> = {
	single:
		'Merge these partial reports into one report on the whole interview. They were written on consecutive parts of the same transcript, in order. Write one summary of the whole; merge the findings per research goal; group the answers per guide question across the parts; keep the most telling quotes; give the overall sentiment. Keep every recordId, turnId and quoted text exactly as given.',
	project:
		'Merge these partial reports into one report across the interviews. They were written on consecutive parts of the same transcripts, in order. Merge themes that are the same (a theme is supported by the distinct records behind it, never more than there are); merge the findings per research goal, the contradictions, the outliers and the follow-up questions without repeats. Keep every recordId, turnId and quoted text exactly as given.'
};

/** Runs `work` over `items` at most CONCURRENCY at a time, keeping their order. */
async function inOrder<T, R>(items: T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!, index);
	};
	await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
	return results;
}

/** A part cut in two at its middle line; the second half repeats the heading of the record it starts in. */
function halve(part: string): [string, string] | null {
	const lines = part.split('\n');
	if (lines.length < 3) return null;
	const middle = Math.floor(lines.length / 2);
	const heading = lines
		.slice(0, middle)
		.reverse()
		.find((line) => line.startsWith('## Record '));
	const second = lines.slice(middle);
	if (heading && !second[0]!.startsWith('## Record '))
		second.unshift(heading.endsWith(' (continued)') ? heading : `${heading} (continued)`);
	return [lines.slice(0, middle).join('\n'), second.join('\n')];
}

export async function workersAiReport<T extends z.ZodType>(
	env: Env,
	kind: ReportKind,
	context: ReportContext,
	schema: T
): Promise<z.infer<T>> {
	const fixed = estimateTokens(
		[SYSTEM_PROMPT, partTask(kind, 99, 99), ...backgroundBlocks(context), JSON.stringify(jsonSchemaOf(schema))].join('\n')
	);
	const budget = PROMPT_BUDGET - fixed;
	if (budget < 1_000) throw new ReportGenerationError('The research goals and the guide are too long for Workers AI to write a report.');
	let parts = transcriptParts(context, budget);
	if (parts.length === 1) {
		try {
			return await askWorkersAi(env, messages(TASKS[kind], context, `# Transcripts\n${parts[0]}`), schema);
		} catch (error) {
			if (!(error instanceof ContextOverflow)) throw error;
			const halves = halve(parts[0]!);
			if (!halves) throw new ReportGenerationError(TOO_LONG);
			parts = halves;
		}
	}

	const mapPart = async (part: string, index: number, count: number, halvings: number): Promise<z.infer<T>[]> => {
		try {
			return [await askWorkersAi(env, messages(partTask(kind, index, count), context, `# Transcripts\n${part}`), schema)];
		} catch (error) {
			const halves = error instanceof ContextOverflow && halvings < MAX_HALVINGS ? halve(part) : null;
			if (!halves) throw error instanceof ContextOverflow ? new ReportGenerationError(TOO_LONG) : error;
			return [...(await mapPart(halves[0], index, count, halvings + 1)), ...(await mapPart(halves[1], index, count, halvings + 1))];
		}
	};
	const partials = (await inOrder(parts, (part, index) => mapPart(part, index, parts.length, 0))).flat();
	return reduce(env, kind, context, schema, partials, budget);
}

async function reduce<T extends z.ZodType>(
	env: Env,
	kind: ReportKind,
	context: ReportContext,
	schema: T,
	partials: z.infer<T>[],
	budget: number
): Promise<z.infer<T>> {
	const merge = async (group: z.infer<T>[]): Promise<z.infer<T>> => {
		const material = `# Partial reports\n${group.map((partial, index) => `## Part ${index + 1}\n${JSON.stringify(partial)}`).join('\n\n')}`;
		try {
			return await askWorkersAi(env, messages(MERGE_TASKS[kind], context, material), schema);
		} catch (error) {
			if (!(error instanceof ContextOverflow)) throw error;
			if (group.length < 3) throw new ReportGenerationError(TOO_LONG);
			const middle = Math.ceil(group.length / 2);
			return merge([await merge(group.slice(0, middle)), await merge(group.slice(middle))]);
		}
	};
	let level = partials;
	while (level.length > 1) {
		// Consecutive partial reports, as many as fit the budget together (and never fewer than two, so each round shrinks).
		const groups: z.infer<T>[][] = [];
		let used = 0;
		for (const partial of level) {
			const tokens = estimateTokens(JSON.stringify(partial)) + 8;
			const group = groups.at(-1);
			if (group && (group.length < 2 || used + tokens <= budget)) {
				group.push(partial);
				used += tokens;
			} else {
				groups.push([partial]);
				used = tokens;
			}
		}
		level = await inOrder(groups, (group) => (group.length === 1 ? Promise.resolve(group[0]!) : merge(group)));
	}
	return level[0]!;
}
