/**
 * The Parley API from the browser: `api` is a client typed by the Worker's own route definitions
 * (hono/client over the app's type), and `call` sends one request through it, returning the typed
 * body of a 2xx answer or throwing the ApiRequestError the UI knows how to word.
 */
import { hc, type ClientRequestOptions, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '$api-types/app';
import { settle } from './api-error';

export { ApiRequestError } from './api-error';

/** Every route under /api: same origin, session cookie, JSON in and out. */
export const api = hc<AppType>('/', { headers: { Accept: 'application/json' }, init: { credentials: 'same-origin' } }).api;

export type RequestOptions = { signal?: AbortSignal; fetch?: typeof fetch; headers?: Record<string, string> };

/** A method of the typed client, e.g. `api.projects[':projectId'].$get`. */
type Endpoint = (input: never, options?: ClientRequestOptions) => Promise<ClientResponse<unknown, number, string>>;

type InputOf<E extends Endpoint> = Parameters<E>[0];

/**
 * The JSON body of a 2xx answer; a 204 has none. Downloads (CSV, ZIP, audio, text) are typed as raw
 * Responses or text, which `call` does not read, so they are left out.
 */
type JsonBodyOf<R> =
	R extends ClientResponse<infer Body, infer Status, infer Format>
		? Body extends Response
			? never
			: Status extends 204
				? undefined
				: Status extends SuccessStatusCode
					? Format extends 'json'
						? Body
						: never
					: never
		: never;

/** The body `call` returns for an endpoint: the union of its 2xx answers. */
export type ResponseOf<E extends Endpoint> = JsonBodyOf<Awaited<ReturnType<E>>>;

type CallArguments<E extends Endpoint> =
	undefined extends InputOf<E> ? [input?: InputOf<E>, options?: RequestOptions] : [input: InputOf<E>, options?: RequestOptions];

/**
 * hono/client puts path parameters into the URL as they are. An id from the address bar could
 * then hold `/` or `..` and reach another route, so every parameter is encoded here, once.
 */
function encodeParams<I>(input: I): I {
	if (typeof input !== 'object' || input === null || !('param' in input)) return input;
	const param = input.param as Record<string, string>;
	return { ...input, param: Object.fromEntries(Object.entries(param).map(([key, value]) => [key, encodeURIComponent(value)])) };
}

/** hono/client merges these over the client's defaults, where an undefined value would erase a default. */
function requestOptions({ signal, fetch, headers }: RequestOptions): ClientRequestOptions {
	return { ...(fetch && { fetch }), ...(headers && { headers }), ...(signal && { init: { signal } }) };
}

/** Sends `input` to `endpoint`; resolves with the 2xx body, rejects with ApiRequestError (an abort stays an AbortError). */
export async function call<E extends Endpoint>(endpoint: E, ...[input, options = {}]: CallArguments<E>): Promise<ResponseOf<E>> {
	const send = endpoint as unknown as (input: unknown, options: ClientRequestOptions) => Promise<Response>;
	return (await settle(() => send(encodeParams(input), requestOptions(options)))) as ResponseOf<E>;
}
