import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../context';
import { ApiError } from '../../lib/errors';
import { isWebSocketUpgrade } from '../../lib/socket';
import { isLoopbackUrl } from '../../lib/origins';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

function hasBody(request: Request): boolean {
	const length = request.headers.get('Content-Length');
	if (length !== null) return Number(length) > 0;
	return request.headers.has('Transfer-Encoding');
}

/**
 * Requests with a body must be JSON, unless the path opts out (uploads, webhooks, auth forms).
 * Without this, a body sent as text/plain would silently validate as `{}`.
 */
export function requireJsonBodies(exemptPrefixes: string[]): MiddlewareHandler {
	return async (c, next) => {
		const request = c.req.raw;
		if (!BODY_METHODS.has(request.method) || !hasBody(request)) return next();
		const path = c.req.path;
		if (exemptPrefixes.some((prefix) => path.startsWith(prefix))) return next();
		const mediaType = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim();
		if (!JSON_MEDIA_TYPE.test(mediaType)) {
			throw new ApiError('unsupported_media_type', 'Send the request body as application/json.');
		}
		return next();
	};
}

/** Caps every request body, whether or not it declares its length (one without a length is read into memory to count it). */
export function limitBodySize(maxBytes: number): MiddlewareHandler {
	const limiter = bodyLimit({
		maxSize: maxBytes,
		onError: () => {
			throw new ApiError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, { maxBytes });
		}
	});
	return (c, next) => (BODY_METHODS.has(c.req.method) ? limiter(c, next) : next());
}

/**
 * For handlers that stream the body and count it themselves (uploads): a declared length over the
 * cap is refused at once, and nothing is buffered, which hono's bodyLimit does to a body without one.
 */
export function limitDeclaredBodySize(maxBytes: number): MiddlewareHandler {
	return async (c, next) => {
		const declared = c.req.header('Content-Length');
		if (declared !== undefined && Number(declared) > maxBytes)
			throw new ApiError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, { maxBytes });
		await next();
	};
}

/** JSON API responses are never cached and never sniffed. */
export const apiResponseHeaders: MiddlewareHandler = async (c, next) => {
	await next();
	if (isWebSocketUpgrade(c.req.raw) || c.res.status === 101) return;
	c.res.headers.set('X-Content-Type-Options', 'nosniff');
	if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
};

/**
 * Development conveniences (the dev outbox, dev top-ups) exist only for requests addressed to a
 * loopback host. Anywhere else they answer 404 like an unknown route, whatever the configuration
 * says: a deployment that kept the loopback PUBLIC_BASE_URL must not hand out free tokens.
 */
export const loopbackRequestsOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
	if (!isLoopbackUrl(c.req.url)) throw new ApiError('not_found', `No API route for ${c.req.method} ${c.req.path}.`);
	await next();
};
