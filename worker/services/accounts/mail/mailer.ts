import { createDatabase } from '../../../db/client';
import { devOutbox } from '../../../db/schema';
import { logInfo } from '../../../lib/log';

export type Mail = { to: string; subject: string; text: string };

/** Where account mail goes. Swap the implementation per deployment; the rest of the code only sees this. */
export interface Mailer {
	readonly kind: string;
	send(mail: Mail): Promise<void>;
}

/**
 * Local development: keeps the mail in D1, where the dev outbox route and tests read it, and logs
 * that it was sent. Not its text: it carries reset links and rejoin codes, and this mailer is
 * also what a deployment without a mail relay falls back to.
 */
export class DevMailer implements Mailer {
	readonly kind = 'dev';
	constructor(private readonly db: D1Database) {}

	async send(mail: Mail): Promise<void> {
		await createDatabase(this.db)
			.insert(devOutbox)
			.values({ id: crypto.randomUUID(), ...mail });
		logInfo('mail.dev', { to: mail.to, subject: mail.subject });
	}
}

/** Production: posts each mail as JSON to a transactional mail relay (MAIL_WEBHOOK_URL). */
export class WebhookMailer implements Mailer {
	readonly kind = 'webhook';
	constructor(
		private readonly url: string,
		private readonly token: string
	) {}

	async send(mail: Mail): Promise<void> {
		const response = await fetch(this.url, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
			body: JSON.stringify(mail)
		});
		if (!response.ok) throw new Error(`Mail relay answered ${response.status}`);
	}
}

export function createMailer(env: Pick<Env, 'DB'> & { MAIL_WEBHOOK_URL?: string; MAIL_WEBHOOK_TOKEN?: string }): Mailer {
	return env.MAIL_WEBHOOK_URL ? new WebhookMailer(env.MAIL_WEBHOOK_URL, env.MAIL_WEBHOOK_TOKEN ?? '') : new DevMailer(env.DB);
}
