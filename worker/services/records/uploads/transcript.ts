import type { StoredTranscript, TranscriptTurn } from '../../../contracts/records';
import type { ParsedTurn } from '../transcripts/parse';

/** Builds the stored transcript document of an uploaded record from parsed or transcribed turns. */

export const countWords = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

export function buildTranscript(startedAt: number, turns: ParsedTurn[]): StoredTranscript {
	const stored: TranscriptTurn[] = turns.map((turn, index) => {
		const out: TranscriptTurn = { id: `t${index + 1}`, role: turn.role, text: turn.text, final: true, at: startedAt + (turn.startMs ?? 0) };
		if (turn.speaker) out.speaker = turn.speaker;
		if (turn.startMs !== undefined) out.startMs = turn.startMs;
		if (turn.endMs !== undefined) out.endMs = turn.endMs;
		return out;
	});
	const last = stored.at(-1);
	return {
		interviewId: null,
		linkId: null,
		respondentEmail: null,
		startedAt,
		endedAt: startedAt + (last?.endMs ?? last?.startMs ?? 0),
		endReason: 'upload',
		provider: 'upload',
		turns: stored
	};
}
