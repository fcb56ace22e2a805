import type { BadgeTone } from '$lib/components/Badge.svelte';
import type { RecordDetail, RecordSummary, TranscriptTurn } from '$contracts/records';

/** Words and numbers for records: durations, clock times, statuses. */

export function formatDuration(ms: number): string {
	if (ms <= 0) return '—';
	const seconds = Math.round(ms / 1000);
	const minutes = Math.floor(seconds / 60);
	return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

export function clock(ms: number): string {
	const seconds = Math.max(0, Math.floor(ms / 1000));
	const hours = Math.floor(seconds / 3600);
	const pad = (value: number) => String(value).padStart(2, '0');
	const rest = `${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
	return hours > 0 ? `${hours}:${rest}` : rest.replace(/^0/, '');
}

export const RECORD_STATUS: Record<RecordSummary['status'], { label: string; tone: BadgeTone }> = {
	ready: { label: 'Ready', tone: 'success' },
	processing: { label: 'Transcribing', tone: 'accent' },
	untranscribed: { label: 'Audio only', tone: 'warning' },
	failed: { label: 'Failed', tone: 'danger' },
	empty: { label: 'Empty', tone: 'neutral' }
};

/** Why a record cannot be reported on, or null when it can. */
export function reportBlocker(status: RecordSummary['status']): string | null {
	if (status === 'ready') return null;
	if (status === 'empty') return 'Nobody answered in this interview.';
	if (status === 'processing') return 'The transcript is still being made.';
	return 'Reports need at least one answer with words.';
}

export function linkLabel(record: Pick<RecordSummary, 'source' | 'linkName' | 'linkKind'>): string {
	if (record.source === 'upload') return 'Upload';
	if (record.linkName) return record.linkName;
	return { single: 'Single-use link', public: 'Public link', private: 'Private link' }[record.linkKind ?? 'single'];
}

export type TimedTurn = TranscriptTurn & { offsetMs: number };

/** Turn offsets from the start of the recording: the stored start, or the time since the interview began. */
export function timeTurns(turns: TranscriptTurn[], record: Pick<RecordDetail, 'startedAt' | 'createdAt'>): TimedTurn[] {
	const base = Date.parse(record.startedAt ?? record.createdAt);
	let floor = 0;
	return turns.map((turn) => {
		const offset = typeof turn.startMs === 'number' ? turn.startMs : Math.max(0, turn.at - base);
		floor = Math.max(floor, offset);
		return { ...turn, offsetMs: floor };
	});
}

export function speakerName(turn: TranscriptTurn): string {
	return turn.speaker ?? (turn.role === 'interviewer' ? 'Interviewer' : 'Respondent');
}
