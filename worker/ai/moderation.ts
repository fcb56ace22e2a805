import type { ProviderContext } from './provider';

/** Time is up: every guide question still open is reported skipped, so the moderator lets the interview end. */
export function skipOpenQuestions(context: ProviderContext): void {
	for (const question of context.questions?.() ?? []) {
		if (question.status === 'pending' || question.status === 'asked')
			context.events.progress?.({ questionId: question.id, status: 'skipped' });
	}
}
