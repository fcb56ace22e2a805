/** Display helpers for the Metrics section. */
export function formatDuration(ms: number | null): string {
	if (ms === null) return '—';
	const totalSeconds = Math.round(ms / 1000);
	const minutes = Math.floor(totalSeconds / 60);
	const seconds = totalSeconds % 60;
	return minutes > 0 ? `${minutes} min ${seconds.toString().padStart(2, '0')} s` : `${seconds} s`;
}

export const formatRate = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

export const LINK_KIND_LABELS: Record<string, string> = { single: 'Single-use', public: 'Anyone with the link', private: 'Private' };

export const END_REASON_LABELS: Record<string, string> = {
	completed: 'Completed',
	deadline: 'Time ran out',
	left: 'Respondent left',
	abandoned: 'Abandoned',
	not_started: 'Never started'
};
