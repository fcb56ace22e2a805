/**
 * Idempotency-Keys per intent, not per click. The API replays the first answer to a key it has
 * seen (worker/api/middleware/idempotency.ts), so a retry after a lost answer, or a second click,
 * must send the key of the first attempt; a different request needs a different key, or the API
 * refuses it as a reused key. An intent is what is sent: the same request gets the same key for as
 * long as this set lives, even after trying another one in between; `renew()` starts a new set
 * when the dialog opens or once the intent is done, so doing it again is a new intent.
 */
export class IntentKeys {
	#keys = new Map<string, string>();

	/** The key for sending `request` (anything JSON, e.g. its path and body). */
	keyFor(request: unknown): string {
		const intent = JSON.stringify(request);
		let key = this.#keys.get(intent);
		if (!key) {
			key = crypto.randomUUID();
			this.#keys.set(intent, key);
		}
		return key;
	}

	/** Forget every intent: whatever is sent next is new. */
	renew(): void {
		this.#keys.clear();
	}
}
