import type { Page } from 'playwright-core';

type OutboxMessage = { to: string; subject: string; text: string; createdAt: string };

/** The first link in the newest dev-outbox mail to `to` whose subject matches, waiting for it to arrive. */
export async function linkFromOutbox(page: Page, to: string, subject: RegExp): Promise<string> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const response = await page.request.get(`/api/dev/outbox?to=${encodeURIComponent(to)}`);
		const { messages } = (await response.json()) as { messages: OutboxMessage[] };
		const message = messages.find((each) => subject.test(each.subject));
		const link = message?.text.match(/https?:\/\/\S+/)?.[0];
		if (link) return link;
		await page.waitForTimeout(200);
	}
	throw new Error(`No mail to ${to} matching ${subject}`);
}
