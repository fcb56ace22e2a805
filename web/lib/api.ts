/** A typed client for the Parley API: same origin, session cookie, JSON in and out. */

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

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export type RequestOptions = { signal?: AbortSignal; fetch?: typeof fetch; headers?: Record<string, string> };

function isErrorBody(value: unknown): value is { error: { code: string; message: string; details?: unknown } } {
	if (typeof value !== 'object' || value === null || !('error' in value)) return false;
	const error = (value as { error: unknown }).error;
	return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

async function readJson(response: Response): Promise<unknown> {
	const text = await response.text();
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

async function request<T>(method: Method, path: string, body: unknown, options: RequestOptions): Promise<T> {
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	let response: Response;
	try {
		response = await (options.fetch ?? fetch)(path, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin',
			signal: options.signal
		});
	} catch (cause) {
		if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
		throw new ApiRequestError(0, 'network_error', 'Parley could not be reached. Check your connection and try again.');
	}
	const payload = await readJson(response);
	if (!response.ok) {
		if (isErrorBody(payload)) throw new ApiRequestError(response.status, payload.error.code, payload.error.message, payload.error.details);
		throw new ApiRequestError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.'));
	}
	return payload as T;
}

export const api = {
	get: <T>(path: string, options: RequestOptions = {}) => request<T>('GET', path, undefined, options),
	post: <T>(path: string, body: unknown = {}, options: RequestOptions = {}) => request<T>('POST', path, body, options),
	patch: <T>(path: string, body: unknown, options: RequestOptions = {}) => request<T>('PATCH', path, body, options),
	delete: <T = void>(path: string, options: RequestOptions = {}) => request<T>('DELETE', path, undefined, options)
};

/** The code of an API error, or null for anything else. */
export function errorCode(error: unknown): string | null {
	return error instanceof ApiRequestError ? error.code : null;
}
