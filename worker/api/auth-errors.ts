import { ERROR_STATUS, type ErrorCode } from '../contracts/errors';

/** better-auth's error codes that the API names its own way. */
const CODE_MAP: Record<string, [string, number]> = {
	INVALID_EMAIL_OR_PASSWORD: ['invalid_credentials', 401],
	USER_ALREADY_EXISTS: ['already_exists', 409],
	USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: ['already_exists', 409],
	INVALID_TOKEN: ['invalid_token', 400],
	INVALID_ORIGIN: ['invalid_origin', 403],
	MISSING_OR_NULL_ORIGIN: ['invalid_origin', 403],
	PASSWORD_TOO_SHORT: ['weak_password', 400],
	PASSWORD_TOO_LONG: ['weak_password', 400]
};

/** The code for an error that came without one (better-auth answers unknown routes with an empty 404). */
const CODE_BY_STATUS = new Map<number, ErrorCode>(
	(
		[
			'invalid_request',
			'unauthenticated',
			'forbidden',
			'not_found',
			'method_not_allowed',
			'conflict',
			'payload_too_large',
			'unsupported_media_type',
			'unprocessable',
			'rate_limited',
			'internal',
			'unavailable'
		] as const
	).map((code) => [ERROR_STATUS[code], code])
);

function fallbackMessage(status: number, request: Request): string {
	const { pathname } = new URL(request.url);
	if (status === 404) return `No API route for ${request.method} ${pathname}.`;
	if (status === 405) return `${request.method} is not allowed on ${pathname}.`;
	if (status >= 500) return 'Something went wrong on our side. Please try again.';
	return 'Authentication failed.';
}

async function readErrorBody(response: Response): Promise<{ code?: string; message?: string }> {
	if (!(response.headers.get('Content-Type') ?? '').includes('json')) return {};
	const body: unknown = await response
		.clone()
		.json()
		.catch(() => ({}));
	return typeof body === 'object' && body !== null ? body : {};
}

/**
 * better-auth answers errors as `{ code, message }`, or with an empty body (unknown routes,
 * unsupported methods); the API answers every error as `{ error: { code, message } }`.
 * Successes and redirects pass through untouched.
 */
export async function normalizeErrorResponse(response: Response, request: Request): Promise<Response> {
	if (response.status < 400) return response;
	const body = await readErrorBody(response);
	const known = typeof body.code === 'string' ? CODE_MAP[body.code] : undefined;
	const [code, status] = known ?? [
		typeof body.code === 'string' ? body.code.toLowerCase() : (CODE_BY_STATUS.get(response.status) ?? 'auth_error'),
		response.status
	];
	const message = typeof body.message === 'string' && body.message ? body.message : fallbackMessage(status, request);
	const headers = new Headers(response.headers);
	headers.delete('Content-Length');
	headers.set('Content-Type', 'application/json');
	return new Response(JSON.stringify({ error: { code, message } }), { status, headers });
}
