import type { BadgeTone } from '$lib/components/Badge.svelte';
import type { ReportSummary } from '$contracts/reports';

export const REPORT_STATUS: Record<ReportSummary['status'], { label: string; tone: BadgeTone }> = {
	queued: { label: 'Queued', tone: 'neutral' },
	running: { label: 'Generating', tone: 'accent' },
	ready: { label: 'Ready', tone: 'success' },
	failed: { label: 'Failed', tone: 'danger' }
};

export const isPending = (report: Pick<ReportSummary, 'status'>) => report.status === 'queued' || report.status === 'running';

export const POLL_MS = 1500;

export function generatorLabel(generator: string): string {
	return { local: 'Local mode (extractive, no AI)', openai: 'OpenAI', 'workers-ai': 'Workers AI' }[generator] ?? generator;
}
