import { z } from 'zod';
import { ApiError } from '../lib/errors';

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/**
 * A copy of `schema` whose objects, at every depth, refuse keys they do not declare.
 * Request bodies go through this, so a misspelt field is an error rather than silently
 * ignored (`maxUse` would otherwise create an unlimited link). The contracts stay as they are,
 * because the same shapes describe responses and stored data, which may grow.
 */
export function strictBody<T extends z.ZodType>(schema: T): T {
	return strictCopy(schema) as T;
}

function strictCopy(schema: z.ZodType): z.ZodType {
	const def = schema._zod.def as Def;
	// Descriptors, not values: some def fields are getters (a default's fresh copy of its value).
	const copy = (changes: Record<string, unknown>) => {
		const next = Object.create(Object.getPrototypeOf(def), Object.getOwnPropertyDescriptors(def)) as Def;
		for (const [key, value] of Object.entries(changes))
			Object.defineProperty(next, key, { value, enumerable: true, writable: true, configurable: true });
		return schema.clone(next as typeof schema._zod.def, { parent: true });
	};
	const inner = (key: string) => strictCopy(def[key] as z.ZodType);
	switch (def.type) {
		case 'object': {
			const shape = Object.fromEntries(
				Object.entries(def.shape as Record<string, z.ZodType>).map(([key, field]) => [key, strictCopy(field)])
			);
			// A schema that chose its own catch-all (loose, or typed extra keys) keeps it.
			return copy({ shape, catchall: def.catchall ?? z.never() });
		}
		case 'array':
			return copy({ element: inner('element') });
		case 'optional':
		case 'nullable':
		case 'default':
		case 'prefault':
		case 'nonoptional':
		case 'readonly':
		case 'catch':
			return copy({ innerType: inner('innerType') });
		case 'pipe':
			return copy({ in: inner('in'), out: inner('out') });
		case 'union':
			return copy({ options: (def.options as z.ZodType[]).map(strictCopy) });
		case 'record':
			return copy({ valueType: inner('valueType') });
		default:
			// Scalars need nothing; an intersection would refuse each side's keys on the other side.
			return schema;
	}
}

/** Dotted paths of the fields a strict schema refused, e.g. `interviewGuide.sections.0.extra`. */
function unknownFields(issues: readonly z.core.$ZodIssue[]): string[] {
	return issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key].join('.')) : []));
}

/**
 * The `unknown_field` error when a strict schema refused keys, else null. It wins over other
 * issues: a misspelt field usually explains them too (the field it meant is missing).
 */
export function unknownFieldError(error: z.ZodError): ApiError | null {
	const fields = unknownFields(error.issues);
	if (fields.length === 0) return null;
	const list = fields.map((field) => `"${field}"`).join(', ');
	const message = `${fields.length === 1 ? 'Unknown field' : 'Unknown fields'} in the request body: ${list}. Check the spelling against GET /api/openapi.json.`;
	return new ApiError('unknown_field', message, { fields });
}
