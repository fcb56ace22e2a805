import type { TestProject } from 'vitest/node';
import { startWebhookReceiver } from './webhook-receiver';

/** Starts one loopback webhook receiver for the workerd suite; tests tell their deliveries apart by hook name. */
export default async function setup(project: TestProject) {
	const receiver = await startWebhookReceiver();
	project.provide('webhookReceiverUrl', receiver.url);
	return () => receiver.close();
}
