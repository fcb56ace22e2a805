import type { Turn } from '$contracts/protocol';

/** The conversation so far. A turn that comes back with a known id replaces it (partial → final). */
export class Transcript {
	turns = $state<Turn[]>([]);

	replaceAll(turns: Turn[]): void {
		this.turns = [...turns];
	}

	/** Returns whether the turn was new, as opposed to an update of one already shown. */
	upsert(turn: Turn): boolean {
		const index = this.turns.findIndex((existing) => existing.id === turn.id);
		if (index === -1) {
			this.turns.push(turn);
			return true;
		}
		this.turns[index] = turn;
		return false;
	}

	get lastInterviewerTurn(): Turn | undefined {
		return this.turns.findLast((turn) => turn.role === 'interviewer' && turn.final);
	}
}
