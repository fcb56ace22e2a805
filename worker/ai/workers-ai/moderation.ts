import { logError } from '../../lib/log';
import { skipOpenQuestions } from '../moderation';
import type { ProviderContext } from '../provider';
import type { WorkersAi } from './models';
import { takeNotes } from './note-taker';

/** How often a goodbye the moderator refused sends the interviewer back to the guide; past that, the deadline ends the interview. */
const MAX_END_REFUSALS = 2;

/** What the cascade's moderation needs from its replies: a reply with a note from the moderator. */
type Replying = { reply(note: string): Promise<void> };

/**
 * The cascade reports on the guide the way a tool-calling model would, through a note-taker: after
 * each stored reply, Llama in JSON mode reads the latest exchange and says which questions were
 * asked, answered or skipped and whether the reply said goodbye. The reports go to the moderator in
 * order (one review at a time); a goodbye asks to end, and one the moderator refuses sends the
 * interviewer back to the questions it names (unless time is up: then the rest is skipped).
 */
export function createCascadeModeration(context: ProviderContext, ai: WorkersAi, replies: Replying) {
	const { events, memory } = context;
	let reviewing = Promise.resolve();

	async function review(): Promise<void> {
		if (!events.progress && !events.requestEnd) return;
		const questions = context.questions?.() ?? [];
		let notes;
		try {
			notes = await takeNotes(ai, questions, context.history);
		} catch (error) {
			logError('workers-ai.notes_failed', error);
			events.usage?.({ 'workers-ai.notes_failed': 1 });
			return;
		}
		events.usage?.({ 'workers-ai.notes_taken': 1 });
		if (!notes) return events.usage?.({ 'workers-ai.notes_unreadable': 1 });
		for (const report of notes.progress) events.progress?.(report);
		if (notes.closing) await closing();
	}

	/** The reply said goodbye: at the wrap-up the rest is skipped; otherwise the moderator may send the interviewer back. */
	async function closing(): Promise<void> {
		if (!events.requestEnd) return;
		if (memory.get<boolean>('workers-ai.wrapping_up')) skipOpenQuestions(context);
		const verdict = events.requestEnd('the interviewer said goodbye');
		if (verdict.accepted) return;
		const refusals = (memory.get<number>('workers-ai.end_refusals') ?? 0) + 1;
		memory.set('workers-ai.end_refusals', refusals);
		if (refusals > MAX_END_REFUSALS) return;
		await replies.reply(
			`(Note from the moderator: the interview cannot end yet. ${verdict.message} Say there is one more thing you would like to ask, and ask it.)`
		);
	}

	return {
		/** After a reply is stored: its review runs after the previous one. */
		afterReply(): void {
			reviewing = reviewing.then(review);
		},
		/** The wrap-up point passed: a goodbye from now on closes the interview even with questions open. */
		wrappingUp(): void {
			memory.set('workers-ai.wrapping_up', true);
		}
	};
}
