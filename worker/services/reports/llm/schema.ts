import { z } from 'zod';
import { GoalFinding, Sentiment } from '../../../contracts/reports';

/** What the model must return. Times are filled in from the transcript afterwards, never trusted from the model. */

const LlmQuote = z.object({ recordId: z.string(), turnId: z.string(), text: z.string().max(2000) });

export const LlmSingleReport = z.object({
	summary: z.string().max(4000),
	findings: z.array(GoalFinding).max(20),
	answers: z
		.array(
			z.object({
				questionId: z.string().nullable(),
				question: z.string().max(1000),
				answers: z.array(LlmQuote.extend({ text: z.string().max(4000) })).max(100)
			})
		)
		.max(100),
	quotes: z.array(LlmQuote).max(30),
	sentiment: Sentiment
});
export type LlmSingleReport = z.infer<typeof LlmSingleReport>;

export const LlmProjectReport = z.object({
	summary: z.string().max(4000),
	themes: z
		.array(
			z.object({
				title: z.string().max(300),
				description: z.string().max(4000),
				recordCount: z.number().int().nonnegative(),
				quotes: z.array(LlmQuote).max(10)
			})
		)
		.max(20),
	findings: z.array(GoalFinding).max(20),
	contradictions: z.array(z.string().max(4000)).max(20),
	outliers: z.array(z.string().max(4000)).max(20),
	followUpQuestions: z.array(z.string().max(500)).max(20)
});
export type LlmProjectReport = z.infer<typeof LlmProjectReport>;

/** Drops what strict structured-output modes refuse: `$schema` and string length keywords (zod still checks the lengths). */
export function withoutLengthKeywords(node: unknown): Record<string, unknown> {
	const strip = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(strip);
		if (!value || typeof value !== 'object') return value;
		const out: Record<string, unknown> = {};
		for (const [key, child] of Object.entries(value)) if (key !== '$schema' && key !== 'maxLength') out[key] = strip(child);
		return out;
	};
	return strip(node) as Record<string, unknown>;
}

/** A JSON Schema that strict structured-output modes accept. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
	return withoutLengthKeywords(z.toJSONSchema(schema));
}
