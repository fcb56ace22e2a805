import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { test } from './fixtures';
import { openPage, screenshot } from './browser';
import { newUser, settle, signUpWithApi } from './helpers/accounts';

/** A loopback receiver for the deliveries the page asks for; the dev server allows http://127.0.0.1 endpoints. */
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const receiver = createServer((req, res) => {
	let body = '';
	req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
	req.on('end', () => {
		received.push({ headers: req.headers, body });
		res.writeHead(204).end();
	});
});
let hookUrl = '';

beforeAll(async () => {
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/parley`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

describe('Settings → Webhooks', () => {
	test('an admin adds an endpoint, copies its secret, sends a test event and sees it delivered', async ({ browser }) => {
		const { page, problems } = await openPage(browser);
		await signUpWithApi(page, newUser('Wren Webhooks'));
		await page.goto('/settings?tab=webhooks');

		await page.getByLabel('Endpoint URL').fill('https://169.254.169.254/latest/meta-data/');
		await page.getByRole('button', { name: 'Add endpoint' }).click();
		await page.getByText('Use a host name, not an IP address.').waitFor();

		await page.getByLabel('Endpoint URL').fill(hookUrl);
		await page.getByLabel('Description').fill('CRM sync');
		await page.getByLabel('Record ready').check();
		await page.getByRole('button', { name: 'Add endpoint' }).click();
		const secretDialog = page.getByRole('dialog', { name: 'Copy the signing secret' });
		const secret = await secretDialog.getByRole('textbox').inputValue();
		expect(secret).toMatch(/^whsec_/);
		await secretDialog.getByRole('button', { name: 'I have copied the secret' }).click();
		await secretDialog.waitFor({ state: 'detached' });

		const row = page.getByRole('row').filter({ hasText: hookUrl });
		await row.getByText('Interview completed, Record ready').waitFor();
		expect(await page.content()).not.toContain(secret);

		await row.getByRole('button', { name: `Actions for ${hookUrl}` }).click();
		await page.getByRole('menuitem', { name: 'Send test event' }).or(page.getByText('Send test event')).first().click();
		await page.getByText('A ping event was queued; see it under Deliveries.').waitFor();
		await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
		const [ping] = received;
		const { t, v1 } = Object.fromEntries(
			String(ping!.headers['parley-signature'])
				.split(',')
				.map((part) => part.split('='))
		) as Record<string, string>;
		expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${ping!.body}`).digest('hex'));
		expect(JSON.parse(ping!.body)).toMatchObject({ type: 'ping', id: ping!.headers['parley-event-id'] });

		await row.getByRole('button', { name: `Actions for ${hookUrl}` }).click();
		await page.getByText('Deliveries', { exact: true }).first().click();
		const deliveries = page.getByRole('dialog', { name: 'Deliveries' });
		await deliveries.getByText('ping').waitFor();
		await expect
			.poll(async () => {
				await deliveries.getByRole('button', { name: 'Refresh' }).click();
				return deliveries.getByText('Delivered').count();
			})
			.toBe(1);
		await deliveries.getByText('204').waitFor();
		await settle(page);
		await screenshot(page, 'settings-webhooks-deliveries-1280-light');
		await deliveries.getByRole('button', { name: 'Close' }).last().click();

		await page.setViewportSize({ width: 360, height: 780 });
		await page.emulateMedia({ colorScheme: 'dark' });
		await settle(page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await screenshot(page, 'settings-webhooks-360-dark');
		// The one refusal the test asked for (the metadata address) is the only failed request.
		expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
	});
});
