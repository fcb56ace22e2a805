/**
 * The name pass as the fakes answer it: a language model would recognise people's names; the fakes
 * know a fixed roster and list the members that appear in the text, in the form written. Shared by
 * the OpenAI REST fake and the fake Workers AI binding, so both providers' passes are exercised.
 */

const ROSTER = /(?<![\p{L}])(?:Anna Lee|Anna|Boris Johnson|Boris|Мари[яиюей]|Иван(?:ом|а|у)?|Петров(?:ым|а|у)?)(?![\p{L}])/gu;

export function fakeNamesIn(text: string): string[] {
	return [...new Set([...text.matchAll(ROSTER)].map((match) => match[0]))];
}

/** Whether a JSON-mode request is the name pass: its schema asks for `names` and nothing else. */
export function isNamesSchema(schema: unknown): boolean {
	const properties = (schema as { properties?: Record<string, unknown>; schema?: { properties?: Record<string, unknown> } } | null) ?? {};
	const keys = Object.keys(properties.properties ?? properties.schema?.properties ?? {});
	return keys.length === 1 && keys[0] === 'names';
}
