import { z } from '@hono/zod-openapi';
import { ErrorBody } from '../contracts/errors';
import { strictBody } from './validation';

/** Small builders so each route declares its schemas once, for validation and for the OpenAPI document. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
	description,
	content: { 'application/json': { schema } }
});

/**
 * A JSON request body; its objects refuse undeclared keys at every depth (`unknown_field`). Every body shows an
 * example: the compiler checks it against the schema's input type, and the OpenAPI lint validates it against the schema.
 */
export const jsonBody = <T extends z.ZodType>(schema: T, example: z.input<T>, { required = true }: { required?: boolean } = {}) => ({
	body: { content: { 'application/json': { schema: strictBody(schema), example } }, required }
});

const error = (description: string) => json(ErrorBody, description);

// Not `as const`: @hono/zod-openapi drops readonly response entries from a route's typed responses,
// and with them the route itself from the typed client when no entry is left (every DELETE).
export const ERRORS = {
	400: error('Invalid request'),
	401: error('Not signed in, or an invalid API key'),
	403: error('Not allowed for your role, or a foreign origin'),
	404: error('Not found in your workspace')
};

export const NO_CONTENT = { 204: { description: 'Done' } };

export const IdParam = <K extends string>(name: K) => z.object({ [name]: z.string().min(1).max(64) } as { [key in K]: z.ZodString });
