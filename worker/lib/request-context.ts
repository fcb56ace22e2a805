import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The id of the request being served, so every log line written while serving it carries the same
 * id without it being passed down by hand. Cloudflare's own Ray ID is used when there is one, so a
 * line can be matched with Cloudflare's view of the same request.
 */
const current = new AsyncLocalStorage<string>();

export function newRequestId(request: Request): string {
	return request.headers.get('cf-ray') ?? crypto.randomUUID();
}

export function withRequestId<T>(requestId: string, run: () => T): T {
	return current.run(requestId, run);
}

export function currentRequestId(): string | undefined {
	return current.getStore();
}
