import { redactSecrets } from './redact';
import { isSecretField, MASKED, redactPersonal } from './redact-personal';
import { currentRequestId } from './request-context';

/**
 * Structured logs: one JSON object a line, with the id of the request being served. Values are
 * never whole requests or env objects, so secrets cannot slip in; every string is scrubbed of
 * anything shaped like a key or a bearer token, of email addresses and of link tokens on the way
 * out, and a field named like a token, an email or a password is masked whatever it holds.
 */
function scrubbed(fields: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(fields)) {
		if (typeof value !== 'string') out[key] = value;
		else out[key] = isSecretField(key) ? MASKED : redactPersonal(redactSecrets(value));
	}
	return out;
}

function line(level: 'info' | 'error', event: string, fields: Record<string, unknown>): string {
	const requestId = currentRequestId();
	return JSON.stringify({ level, event, ...(requestId ? { requestId } : {}), ...scrubbed(fields) });
}

export function logInfo(event: string, fields: Record<string, unknown> = {}): void {
	console.log(line('info', event, fields));
}

export function logError(event: string, error: unknown, fields: Record<string, unknown> = {}): void {
	const detail = error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };
	console.error(line('error', event, { ...fields, ...detail }));
}
