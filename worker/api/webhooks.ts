import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBody } from '../contracts/errors';
import {
	CreateWebhook,
	DeliveriesPage,
	DeliveriesQuery,
	UpdateWebhook,
	Webhook,
	WebhookDelivery,
	WebhookSettings,
	WebhookWithSecret
} from '../contracts/webhooks';
import {
	createWebhook,
	deleteWebhook,
	getWebhookSettings,
	listDeliveries,
	listWebhooks,
	redeliver,
	rollWebhookSecret,
	sendTestEvent,
	updateWebhook,
	updateWebhookSettings
} from '../services/webhooks';
import { createRouter, requirePrincipal } from './context';
import { ERRORS, IdParam, json, jsonBody, NO_CONTENT } from './openapi';

const tags = ['webhooks'];
const WebhookParam = IdParam('webhookId');
const DeliveryParams = WebhookParam.extend(IdParam('deliveryId').shape);
const CONFLICT = { 409: json(ErrorBody, 'The endpoint is switched off, or the workspace has too many endpoints') };

const list = createRoute({
	method: 'get',
	path: '/webhooks',
	operationId: 'listWebhooks',
	tags,
	summary: 'Webhook endpoints of the current workspace (admins and owners)',
	responses: { 200: json(z.object({ webhooks: z.array(Webhook) }), 'Endpoints, without their secrets'), ...ERRORS }
});
const create = createRoute({
	method: 'post',
	path: '/webhooks',
	operationId: 'createWebhook',
	tags,
	summary: 'Add an endpoint; its signing secret is shown only in this response',
	request: jsonBody(CreateWebhook, {
		url: 'https://crm.example.com/parley',
		events: ['interview.completed', 'report.ready'],
		description: 'CRM'
	}),
	responses: { 201: json(WebhookWithSecret, 'Created'), ...ERRORS, ...CONFLICT }
});
const update = createRoute({
	method: 'patch',
	path: '/webhooks/{webhookId}',
	operationId: 'updateWebhook',
	tags,
	summary: 'Change the URL, the events or the description, or switch the endpoint on or off',
	request: { params: WebhookParam, ...jsonBody(UpdateWebhook, { enabled: false }) },
	responses: { 200: json(Webhook, 'Updated'), ...ERRORS }
});
const remove = createRoute({
	method: 'delete',
	path: '/webhooks/{webhookId}',
	operationId: 'deleteWebhook',
	tags,
	summary: 'Delete an endpoint and its deliveries',
	request: { params: WebhookParam },
	responses: { ...NO_CONTENT, ...ERRORS }
});
const roll = createRoute({
	method: 'post',
	path: '/webhooks/{webhookId}/roll-secret',
	operationId: 'rollWebhookSecret',
	tags,
	summary: 'Replace the signing secret at once; the new one is shown only in this response',
	request: { params: WebhookParam },
	responses: { 200: json(WebhookWithSecret, 'The endpoint with its new secret'), ...ERRORS }
});
const ping = createRoute({
	method: 'post',
	path: '/webhooks/{webhookId}/test',
	operationId: 'testWebhook',
	tags,
	summary: 'Send a `ping` event to the endpoint',
	request: { params: WebhookParam },
	responses: { 202: json(WebhookDelivery, 'Queued'), ...ERRORS, ...CONFLICT }
});
const deliveries = createRoute({
	method: 'get',
	path: '/webhooks/{webhookId}/deliveries',
	operationId: 'listWebhookDeliveries',
	tags,
	summary: 'Deliveries to the endpoint, newest first, by page (`limit` 1–200, default 50; pass `nextCursor` as `cursor`)',
	request: { params: WebhookParam, query: DeliveriesQuery },
	responses: { 200: json(DeliveriesPage, 'A page of deliveries'), ...ERRORS }
});
const again = createRoute({
	method: 'post',
	path: '/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
	operationId: 'redeliverWebhookDelivery',
	tags,
	summary: "Post a delivery's event again (same event id) as a new delivery",
	request: { params: DeliveryParams },
	responses: { 202: json(WebhookDelivery, 'Queued'), ...ERRORS, ...CONFLICT }
});
const readSettings = createRoute({
	method: 'get',
	path: '/webhook-settings',
	operationId: 'getWebhookSettings',
	tags,
	summary: 'Webhook settings: the balance below which `balance.low` is sent',
	responses: { 200: json(WebhookSettings, 'Settings'), ...ERRORS }
});
const writeSettings = createRoute({
	method: 'put',
	path: '/webhook-settings',
	operationId: 'updateWebhookSettings',
	tags,
	summary: 'Set the `balance.low` threshold in tokens (null switches it off)',
	request: jsonBody(WebhookSettings, { balanceLowThreshold: 100 }),
	responses: { 200: json(WebhookSettings, 'Saved'), ...ERRORS }
});

export function webhookRoutes() {
	return createRouter()
		.openapi(list, async (c) => c.json({ webhooks: await listWebhooks(c.get('db'), requirePrincipal(c)) }, 200))
		.openapi(create, async (c) => c.json(await createWebhook(c.env, c.get('db'), requirePrincipal(c), c.req.valid('json')), 201))
		.openapi(update, async (c) =>
			c.json(await updateWebhook(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').webhookId, c.req.valid('json')), 200)
		)
		.openapi(remove, async (c) => {
			await deleteWebhook(c.get('db'), requirePrincipal(c), c.req.valid('param').webhookId);
			return c.body(null, 204);
		})
		.openapi(roll, async (c) => c.json(await rollWebhookSecret(c.get('db'), requirePrincipal(c), c.req.valid('param').webhookId), 200))
		.openapi(ping, async (c) => c.json(await sendTestEvent(c.env, c.get('db'), requirePrincipal(c), c.req.valid('param').webhookId), 202))
		.openapi(deliveries, async (c) =>
			c.json(await listDeliveries(c.get('db'), requirePrincipal(c), c.req.valid('param').webhookId, c.req.valid('query')), 200)
		)
		.openapi(again, async (c) => {
			const { webhookId, deliveryId } = c.req.valid('param');
			return c.json(await redeliver(c.env, c.get('db'), requirePrincipal(c), webhookId, deliveryId), 202);
		})
		.openapi(readSettings, async (c) => c.json(await getWebhookSettings(c.get('db'), requirePrincipal(c)), 200))
		.openapi(writeSettings, async (c) => c.json(await updateWebhookSettings(c.get('db'), requirePrincipal(c), c.req.valid('json')), 200));
}
