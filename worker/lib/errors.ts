import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../contracts/errors';

/** A failure the client can act on. Thrown anywhere, rendered once by the API's error handler. */
export class ApiError extends Error {
	readonly status: number;

	constructor(
		readonly code: ErrorCode,
		message: string,
		readonly details?: unknown
	) {
		super(message);
		this.status = ERROR_STATUS[code];
	}

	toBody(): ErrorBody {
		const error: ErrorBody['error'] = { code: this.code, message: this.message };
		if (this.details !== undefined) error.details = this.details;
		return { error };
	}
}

/** Renders an error body as a JSON response, for code paths outside Hono. */
export function errorResponse(error: ApiError, headers?: HeadersInit): Response {
	return Response.json(error.toBody(), { status: error.status, headers });
}

/** Whether an error, or one of its causes, mentions `text` (D1 reports constraint names this way). */
export function errorMentions(error: unknown, text: string): boolean {
	for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
		if (current.message.includes(text)) return true;
	}
	return false;
}
