/**
 * Starts a request from an `$effect` and returns the effect's cleanup, which aborts it: when the effect
 * runs again (another id, another filter, a retry), the answer to the older request never lands.
 */
export function requestInEffect<T>(
	request: (signal: AbortSignal) => Promise<T>,
	onload: (value: T) => void,
	onfail: (failure: unknown) => void
): () => void {
	const controller = new AbortController();
	request(controller.signal).then(
		(value) => {
			if (!controller.signal.aborted) onload(value);
		},
		(failure: unknown) => {
			if (!controller.signal.aborted) onfail(failure);
		}
	);
	return () => controller.abort();
}
