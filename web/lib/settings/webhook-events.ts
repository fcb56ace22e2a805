import type { WebhookDelivery, WebhookEventType } from '$contracts/webhooks';

/** What each webhook event means, in the words of the Webhooks settings. */
export const WEBHOOK_EVENTS: { type: WebhookEventType; label: string; hint: string }[] = [
	{ type: 'interview.started', label: 'Interview started', hint: 'A respondent joined and the interview began.' },
	{ type: 'interview.completed', label: 'Interview completed', hint: 'An interview ended, with the reason it ended.' },
	{ type: 'record.ready', label: 'Record ready', hint: 'A record’s transcript can be fetched.' },
	{ type: 'report.ready', label: 'Report ready', hint: 'A report finished generating.' },
	{ type: 'report.failed', label: 'Report failed', hint: 'A report could not be generated.' },
	{ type: 'link.exhausted', label: 'Link used up', hint: 'A multi-use link reached its maximum uses.' },
	{ type: 'link.expired', label: 'Link expired', hint: 'A link passed its expiry date.' },
	{ type: 'balance.low', label: 'Balance low', hint: 'The token balance fell below the threshold below.' }
];

export const DELIVERY_STATUS: Record<WebhookDelivery['status'], { label: string; tone: 'success' | 'warning' | 'danger' }> = {
	delivered: { label: 'Delivered', tone: 'success' },
	pending: { label: 'Retrying', tone: 'warning' },
	failed: { label: 'Failed', tone: 'danger' }
};
