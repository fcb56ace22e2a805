import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { openTicket, sealTicket } from '../../worker/services/interviews/tickets';
import { call, callJson } from './helpers/api';
import { join, joinedSocket, respondent, setUp } from './helpers/interview';
import { openSocket } from './helpers/socket';

const interviewCount = async (linkId: string) =>
	(await env.DB.prepare('select count(*) as n from interview where link_id = ?').bind(linkId).first<{ n: number }>())!.n;

type Answer = { url?: string; refused?: { code: string; closeCode: number | null } };

describe('joining over HTTP, then one hop to the interview', () => {
	it('answers a single-use link with its plain socket and a multi-use link with a ticketed one, which goes straight to the interview', async () => {
		const single = await setUp();
		const plain = await callJson<Answer>(`/api/public/links/${single.links[0]!.token}/join`, {
			method: 'POST',
			json: { email: respondent(), consent: true }
		});
		expect(plain).toMatchObject({ status: 200, body: { url: `/ws/interview/${single.links[0]!.token}` } });

		const { links } = await setUp({ kind: 'public', maxUses: 3 });
		const email = respondent();
		const ticketed = await callJson<Answer>(`/api/public/links/${links[0]!.token}/join`, {
			method: 'POST',
			json: { email, consent: true }
		});
		expect(ticketed.body.url).toMatch(new RegExp(`^/ws/interview/${links[0]!.token}\\?ticket=[\\w-]+$`));
		expect(await interviewCount(links[0]!.id)).toBe(1);
		const socket = await openSocket(ticketed.body.url!);
		socket.socket.send(JSON.stringify({ type: 'hello', protocol: 1, email, consent: true }));
		expect(await socket.next('welcome', 'error')).toMatchObject({ type: 'welcome' });
	});

	it('refuses a multi-use socket without a ticket, with another link’s, or with one tampered with, and admits nothing', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 3 });
		const other = await setUp({ kind: 'public', maxUses: 3 });
		const foreign = await callJson<Answer>(`/api/public/links/${other.links[0]!.token}/join`, {
			method: 'POST',
			json: { email: respondent(), consent: true }
		});
		const foreignTicket = new URL(foreign.body.url!, 'https://x').searchParams.get('ticket')!;
		const tampered = `${foreignTicket.slice(0, -4)}AAAA`;
		for (const query of ['', `?ticket=${foreignTicket}`, `?ticket=${tampered}`, '?ticket=', `?ticket=${'A'.repeat(2_000)}`]) {
			const refused = await openSocket(`/ws/interview/${links[0]!.token}${query}`);
			expect(await refused.next(), query).toMatchObject({ type: 'error', code: 'join_ticket_required' });
			expect((await refused.closed).code).toBe(CLOSE_CODES.badFrame);
		}
		expect(await interviewCount(links[0]!.id)).toBe(0);
	});

	it('opens no socket for a ticket issued before its link was regenerated', async () => {
		const { owner, links } = await setUp({ kind: 'public', maxUses: 3 });
		const answer = await callJson<Answer>(`/api/public/links/${links[0]!.token}/join`, {
			method: 'POST',
			json: { email: respondent(), consent: true }
		});
		await callJson(`/api/links/${links[0]!.id}/regenerate`, { method: 'POST', as: owner.as });
		const stale = await openSocket(answer.body.url!);
		expect(await stale.next()).toMatchObject({ type: 'error', code: 'unknown_link' });
		expect((await stale.closed).code).toBe(CLOSE_CODES.unknownLink);
	});

	it('seals tickets to their link and lets them lapse after a minute', async () => {
		const ticket = { linkId: 'link-a', interviewId: 'interview-a', objectName: 'interview:interview-a', resumeToken: 'resume' };
		const now = Date.now();
		const sealed = await sealTicket(env, ticket, now);
		expect(await openTicket(env, sealed, 'link-a', now + 59_000)).toEqual(ticket);
		expect(await openTicket(env, sealed, 'link-a', now + 61_000)).toBeNull();
		expect(await openTicket(env, sealed, 'link-b', now)).toBeNull();
		expect(await openTicket({ BETTER_AUTH_SECRET: 'another deployment' }, sealed, 'link-a', now)).toBeNull();
		expect(sealed).not.toContain('resume');
	});

	it('answers a refused join with the socket refusal’s code and the close code the socket would have closed with', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 1 });
		await join(links[0]!.token, { email: respondent() });
		const usedUp = await callJson<Answer>(`/api/public/links/${links[0]!.token}/join`, {
			method: 'POST',
			json: { email: respondent(), consent: true }
		});
		expect(usedUp).toMatchObject({ status: 200, body: { refused: { code: 'no_uses_left', closeCode: CLOSE_CODES.noUsesLeft } } });
		const unknown = await callJson<Answer>('/api/public/links/nope/join', { method: 'POST', json: { email: respondent(), consent: true } });
		expect(unknown).toMatchObject({ status: 200, body: { refused: { code: 'unknown_link', closeCode: CLOSE_CODES.unknownLink } } });
		const noConsent = await callJson<Answer>(`/api/public/links/${links[0]!.token}/join`, {
			method: 'POST',
			json: { email: respondent() }
		});
		expect(noConsent).toMatchObject({ status: 200, body: { refused: { code: 'consent_required', closeCode: CLOSE_CODES.badFrame } } });
	});

	it('refuses a malformed join body with a 400 and writes nothing', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 0 });
		const path = `/api/public/links/${links[0]!.token}/join`;
		const bad = [
			await call(path, { method: 'POST', body: '{"email":', headers: { 'Content-Type': 'application/json' } }),
			await call(path, { method: 'POST', json: { email: respondent(), consent: true, admin: true } }),
			await call(path, { method: 'POST', json: { email: respondent(), consent: 'yes' } }),
			await call(path, { method: 'POST', json: { email: respondent(), consent: true, rejoinCode: '12' } })
		];
		expect(bad.map((response) => response.status)).toEqual([400, 400, 400, 400]);
		for (const response of bad) expect(((await response.json()) as { error: { code: string } }).error.code).toBeTruthy();
		expect(await interviewCount(links[0]!.id)).toBe(0);
	});

	it('lets a multi-use socket that never says hello be closed by its interview', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 2 });
		const idle = await joinedSocket(links[0]!.token);
		idle.socket.send(JSON.stringify({ type: 'ping' }));
		expect(await idle.next('error')).toMatchObject({ code: 'hello_required' });
	});
});
