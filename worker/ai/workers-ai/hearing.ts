import type { WorkersAi } from './models';

/**
 * What the respondent's speech-to-text tells the cascade, whichever model listens: speech began
 * (a barge-in), or a turn ended with its transcript. Times are seconds of the audio sent on the
 * model's socket; the session places them in interview time.
 */
export type Heard =
	{ kind: 'speech-started'; atSeconds?: number } | { kind: 'turn-ended'; transcript: string; startSeconds?: number; endSeconds?: number };

/** A speech-to-text model as the session uses it: how to open its socket, and what its messages say. */
export type Listener = {
	readonly model: string;
	/** Asks the binding for the model's socket: a 101 Response with it, or the refusal. */
	open(ai: WorkersAi): Promise<Response>;
	/** What one message says about the respondent's turn; most say nothing. */
	hear(text: string): Heard | null;
	/** A new socket starts with nothing heard. */
	reset(): void;
};

/** A model message as JSON, or null when it is not (a listener skips what it cannot read). */
export function parseMessage(text: string): Record<string, unknown> | null {
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

/** A message's text field, or nothing: what arrives on the socket is not trusted to match its type. */
export const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
/** A message's time in seconds, or undefined when it carries none (the session then uses the present). */
export const secondsOf = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
