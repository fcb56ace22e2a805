import { z } from 'zod';

/** Every error the API returns has this shape, whatever its status. */
export const ErrorBody = z.object({
	error: z.object({
		code: z.string(),
		message: z.string(),
		details: z.unknown().optional()
	})
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Stable error codes: the UI maps each to words, integrations match on them. */
export const ERROR_STATUS = {
	invalid_json: 400,
	invalid_request: 400,
	unknown_field: 400,
	weak_password: 400,
	invalid_credentials: 401,
	invalid_api_key: 401,
	unauthenticated: 401,
	insufficient_tokens: 402,
	forbidden: 403,
	invalid_origin: 403,
	not_found: 404,
	method_not_allowed: 405,
	conflict: 409,
	already_exists: 409,
	gone: 410,
	upgrade_required: 426,
	payload_too_large: 413,
	unsupported_media_type: 415,
	invalid_file: 422,
	context_required: 422,
	unprocessable: 422,
	rate_limited: 429,
	internal: 500,
	unavailable: 503
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
