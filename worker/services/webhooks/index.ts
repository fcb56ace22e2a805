/** Outbound webhooks: endpoints, signed deliveries through the JOBS queue, and the events other domains emit. */
export { checkWebhookAddress, isBlockedAddress, type Resolver } from './address';
export { checkLowBalance, checkLowBalances, getWebhookSettings, updateWebhookSettings } from './balance';
export { deliverWebhook } from './delivery';
export {
	createWebhook,
	deleteWebhook,
	listDeliveries,
	listWebhooks,
	redeliver,
	rollWebhookSecret,
	sendTestEvent,
	updateWebhook
} from './endpoints';
export { notifyInterviewEnded, notifyInterviewStarted, notifyLinkExpired, notifyRecordSettled, notifyReportSettled } from './notify';
export { forgetOldDeliveries, requeueOverdueDeliveries } from './sweep';
