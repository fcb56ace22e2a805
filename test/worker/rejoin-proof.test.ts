import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { ServerMessage, Turn } from '../../worker/contracts/protocol';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { callJson } from './helpers/api';
import { join, respondent, setUp } from './helpers/interview';

type Welcome = Extract<ServerMessage, { type: 'welcome' }>;

/** The newest code mailed to `email`, from the dev outbox. */
async function mailedCode(email: string): Promise<string> {
	const outbox = await callJson<{ messages: { subject: string; text: string }[] }>(`/api/dev/outbox?to=${encodeURIComponent(email)}`);
	const mail = outbox.body.messages.find((message) => message.subject.startsWith('Your interview code'));
	if (!mail) throw new Error(`no code mailed to ${email}`);
	return /Your code: (\d{6})/.exec(mail.text)![1]!;
}

/** A well-formed code that is not `code`. */
const otherThan = (code: string) => (code === '123456' ? '654321' : '123456');

/** A second browser joining: the same email, no resume token; with the mailed code once it has one. */
const secondBrowser = (token: string, email: string, rejoinCode?: string) => join(token, { email, ...(rejoinCode ? { rejoinCode } : {}) });

async function started(kind: 'public' | 'private') {
	const setup = await setUp(kind === 'public' ? { kind: 'public', maxUses: 5 } : { kind: 'private', names: ['Group A'], maxUses: 5 });
	const email = respondent('owner-of-email');
	const first = await join(setup.links[0]!.token, { email });
	await first.waitFor((all) => all.find((message) => message.type === 'turn'));
	first.socket.send(JSON.stringify({ type: 'text', content: 'My private answer about my work.' }));
	await first.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
	return { ...setup, email, first, token: setup.links[0]!.token, welcome: first.first as Welcome };
}

describe('rejoining a multi-use interview by email needs proof', () => {
	for (const kind of ['public', 'private'] as const) {
		it(`on a ${kind} link the browser that started it rejoins with its resume token`, async () => {
			const { token, email, welcome } = await started(kind);
			expect(welcome.resumeToken).toBeTruthy();
			const again = await join(token, { email, resumeToken: welcome.resumeToken });
			expect(again.first).toMatchObject({ type: 'welcome', interview: welcome.interview });
		});

		it(`on a ${kind} link another browser sees nothing and displaces nobody until it gives the mailed code`, async () => {
			const { token, email, first, welcome } = await started(kind);
			const other = await secondBrowser(token, email);
			expect(other.first).toMatchObject({ type: 'rejoin.verify', email });
			expect(other.messages.some((message) => message.type === 'welcome' || message.type === 'turn')).toBe(false);

			first.socket.send(JSON.stringify({ type: 'ping' }));
			expect(await first.next('state')).toMatchObject({ status: 'active' });

			const mistyped = await secondBrowser(token, email, otherThan(await mailedCode(email)));
			expect(mistyped.first).toMatchObject({ type: 'error', code: 'rejoin_code_invalid' });
			expect((await mistyped.closed).code).not.toBe(CLOSE_CODES.replaced);

			const proven = await secondBrowser(token, email, await mailedCode(email));
			const rejoined = proven.first as Welcome;
			expect(rejoined.type).toBe('welcome');
			expect(rejoined.interview).toBe(welcome.interview);
			expect(rejoined.transcript.map((turn: Turn) => turn.text)).toContain('My private answer about my work.');
			expect(rejoined.resumeToken).toBeTruthy();
			expect(rejoined.resumeToken).not.toBe(welcome.resumeToken);
			expect((await first.closed).code).toBe(CLOSE_CODES.replaced);

			const stale = await secondBrowser(token, email);
			expect(stale.first.type).toBe('rejoin.verify');
			const holder = await join(token, { email, resumeToken: rejoined.resumeToken });
			expect(holder.first).toMatchObject({ type: 'welcome', interview: welcome.interview });
		});
	}

	it('five wrong codes use the code up: even the right one is refused after that', async () => {
		const { token, email } = await started('public');
		await secondBrowser(token, email);
		const code = await mailedCode(email);
		const wrong = otherThan(code);
		for (let attempt = 1; attempt <= 5; attempt += 1) {
			const refused = await secondBrowser(token, email, wrong);
			expect(refused.first).toMatchObject({ code: attempt < 5 ? 'rejoin_code_invalid' : 'rejoin_code_expired' });
		}
		const late = await secondBrowser(token, email, code);
		expect(late.first).toMatchObject({ type: 'error', code: 'rejoin_code_expired' });
	});

	it('a code older than ten minutes is refused', async () => {
		const { token, email, welcome } = await started('public');
		await secondBrowser(token, email);
		await env.DB.prepare('update rejoin_challenge set expires_at = ? where interview_id = ?')
			.bind(Date.now() - 1, welcome.interview)
			.run();
		const late = await secondBrowser(token, email, await mailedCode(email));
		expect(late.first).toMatchObject({ type: 'error', code: 'rejoin_code_expired' });
	});

	it('mails one code a minute however often a browser asks', async () => {
		const { token, email } = await started('public');
		for (let index = 0; index < 3; index += 1) expect((await secondBrowser(token, email)).first.type).toBe('rejoin.verify');
		const outbox = await callJson<{ messages: { subject: string }[] }>(`/api/dev/outbox?to=${encodeURIComponent(email)}`);
		expect(outbox.body.messages.filter((message) => message.subject.startsWith('Your interview code'))).toHaveLength(1);
	});

	it('a single-use link keeps plain email rejoin', async () => {
		const { links } = await setUp();
		const email = respondent();
		const first = await join(links[0]!.token, { email });
		const again = await join(links[0]!.token, { email });
		expect(again.first).toMatchObject({ type: 'welcome', interview: (first.first as Welcome).interview });
	});
});
