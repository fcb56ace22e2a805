/** Structured logs. Values are never whole requests or env objects, so secrets cannot slip in. */
export function logInfo(event: string, fields: Record<string, unknown> = {}): void {
	console.log(JSON.stringify({ level: 'info', event, ...fields }));
}

export function logError(event: string, error: unknown, fields: Record<string, unknown> = {}): void {
	const detail = error instanceof Error ? { error: error.name, message: error.message } : { error: String(error) };
	console.error(JSON.stringify({ level: 'error', event, ...fields, ...detail }));
}
