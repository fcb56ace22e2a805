/** The one error type of a failed API request, and how a failed fetch or a non-2xx answer becomes it. */

export class ApiRequestError extends Error {
	readonly status: number;
	readonly code: string;
	readonly details: unknown;

	constructor(status: number, code: string, message: string, details?: unknown) {
		super(message);
		this.name = 'ApiRequestError';
		this.status = status;
		this.code = code;
		this.details = details;
	}
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; details?: unknown } } {
	if (typeof value !== 'object' || value === null || !('error' in value)) return false;
	const error = (value as { error: unknown }).error;
	return (
		typeof error === 'object' &&
		error !== null &&
		typeof (error as { code?: unknown }).code === 'string' &&
		typeof (error as { message?: unknown }).message === 'string'
	);
}

/** The JSON body of a response, or undefined when it is empty or not JSON. */
export async function readJson(response: Response): Promise<unknown> {
	const text = await response.text();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** A fetch that failed before any answer: the network, unless the caller aborted (that stays an AbortError). */
export function networkError(cause: unknown): unknown {
	if (cause instanceof DOMException && cause.name === 'AbortError') return cause;
	return new ApiRequestError(0, 'network_error', 'Parley could not be reached. Check your connection and try again.');
}

/** A non-2xx answer: the API's `{ error: { code, message } }` when it sent one. */
export function responseError(response: Response, payload: unknown): ApiRequestError {
	if (isErrorBody(payload)) return new ApiRequestError(response.status, payload.error.code, payload.error.message, payload.error.details);
	return new ApiRequestError(
		response.status,
		'http_error',
		`The server answered ${response.status} ${response.statusText}.`.replace(' .', '.')
	);
}

/** Sends a request and reads its JSON answer, turning every failure into ApiRequestError. */
export async function settle(send: () => Promise<Response>): Promise<unknown> {
	let response: Response;
	try {
		response = await send();
	} catch (cause) {
		throw networkError(cause);
	}
	const payload = await readJson(response);
	if (!response.ok) throw responseError(response, payload);
	return payload;
}

/** The code of an API error, or null for anything else. */
export function errorCode(error: unknown): string | null {
	return error instanceof ApiRequestError ? error.code : null;
}
