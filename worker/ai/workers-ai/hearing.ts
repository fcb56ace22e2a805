/**
 * What the respondent's speech-to-text tells the cascade, whichever model listens: speech began
 * (a barge-in), or a turn ended with its transcript. Times are seconds of the audio sent on the
 * model's socket; the session places them in interview time.
 */
export type Heard =
	{ kind: 'speech-started'; atSeconds?: number } | { kind: 'turn-ended'; transcript: string; startSeconds?: number; endSeconds?: number };

/** A model message as JSON, or null when it is not (a listener skips what it cannot read). */
export function parseMessage(text: string): Record<string, unknown> | null {
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
