import { buildInstructions } from '../instructions';
import type { ProviderContext } from '../provider';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** The cue that has the interviewer open a new conversation. */
export const OPENING = '(The respondent has joined. Greet them briefly and ask the first question.)';
/** Stands in for the turns a shortened prompt leaves out, so the model knows the interview did not start here. */
const SHORTENED =
	'(Earlier turns of this interview are left out here. Carry on from where it is; do not ask again what was already answered.)';

/**
 * Whether the LLM refused the prompt for not fitting its context window (Workers AI's error 5021,
 * or the wording models use for it). Only a shorter prompt can help.
 */
export function isContextLengthError(error: unknown): boolean {
	const message = error instanceof Error ? error.message : String(error);
	return /\b5021\b/.test(message) || /context (window|length)/i.test(message);
}

/**
 * The prompts for one reply, longest first: the instructions and the whole conversation, then, for a
 * model that refuses it as too long, the instructions with the latest half of the turns, and so on
 * down to the latest turn alone. The instructions are built once, so every version states the same
 * time left.
 */
export function* prompts(context: ProviderContext, note: string | null): Generator<ChatMessage[]> {
	const { brief, history, remainingMs } = context;
	const questions = context.questions?.();
	const moderation = questions ? { questions, reporting: 'notes' as const } : undefined;
	const system: ChatMessage = { role: 'system', content: buildInstructions(brief, remainingMs(), moderation) };
	const said = history
		.filter((turn) => turn.final && turn.transcribed !== false && turn.text.trim())
		.map((turn): ChatMessage => ({ role: turn.role === 'interviewer' ? 'assistant' : 'user', content: turn.text }));
	const tail: ChatMessage[] = note ? [{ role: 'user', content: note }] : [];
	for (let keep = said.length; ; keep = Math.floor(keep / 2)) {
		const kept = said.slice(said.length - keep);
		// Chat templates expect a user turn before the assistant's first: a cue stands in for it.
		const lead: ChatMessage[] =
			kept[0]?.role === 'assistant' ? [{ role: 'user', content: keep === said.length ? OPENING : SHORTENED }] : [];
		yield [system, ...lead, ...kept, ...tail];
		if (keep <= 1) return;
	}
}
