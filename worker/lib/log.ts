import { redactSecrets } from './redact';

/**
 * Structured logs. Values are never whole requests or env objects, so secrets cannot slip in, and
 * every string is scrubbed of anything shaped like a key or a bearer token on the way out.
 */
function scrubbed(fields: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(fields)) out[key] = typeof value === 'string' ? redactSecrets(value) : value;
	return out;
}

export function logInfo(event: string, fields: Record<string, unknown> = {}): void {
	console.log(JSON.stringify({ level: 'info', event, ...scrubbed(fields) }));
}

export function logError(event: string, error: unknown, fields: Record<string, unknown> = {}): void {
	const detail = error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };
	console.error(JSON.stringify({ level: 'error', event, ...scrubbed({ ...fields, ...detail }) }));
}
