import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../worker/contracts/links';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { callJson } from './helpers/api';
import { createInterviewer, createLinks, join, pcmFrame, respondent, setUp } from './helpers/interview';

describe('caps under concurrency', () => {
	it('a public link with maxUses 3 admits exactly 3 of 20 parallel joins', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 3 });
		const link = links[0]!;
		const joins = await Promise.all(Array.from({ length: 20 }, (_, index) => join(link.token, { email: respondent(`p${index}`) })));
		const welcomed = joins.filter((joined) => joined.first.type === 'welcome');
		expect(welcomed).toHaveLength(3);
		for (const refused of joins.filter((joined) => joined.first.type === 'error')) {
			expect(refused.first).toMatchObject({ code: 'no_uses_left' });
			expect((await refused.closed).code).toBe(CLOSE_CODES.noUsesLeft);
		}
		const rows = await env.DB.prepare('select count(*) as n from interview where link_id = ?').bind(link.id).first<{ n: number }>();
		expect(rows?.n).toBe(3);
		const after = await env.DB.prepare('select uses from link where id = ?').bind(link.id).first<{ uses: number }>();
		expect(after?.uses).toBe(3);
	});

	it('a public link lets the same email rejoin its interview instead of using another', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 2 });
		const email = respondent();
		const first = await join(links[0]!.token, { email });
		const again = await join(links[0]!.token, { email, resumeToken: (first.first as { resumeToken?: string }).resumeToken });
		expect((first.first as { interview: string }).interview).toBe((again.first as { interview: string }).interview);
		const used = await env.DB.prepare('select uses from link where id = ?').bind(links[0]!.id).first<{ uses: number }>();
		expect(used?.uses).toBe(1);
	});

	it('an anonymous public link resumes by the resume token it handed out', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 5, askEmail: 'off' });
		const first = await join(links[0]!.token);
		const welcome = first.first as { interview: string; resumeToken?: string };
		expect(welcome.resumeToken).toBeTruthy();
		const again = await join(links[0]!.token, { resumeToken: welcome.resumeToken });
		expect((again.first as { interview: string }).interview).toBe(welcome.interview);
		const stranger = await join(links[0]!.token);
		expect((stranger.first as { interview: string }).interview).not.toBe(welcome.interview);
		const row = await env.DB.prepare('select respondent_email from interview where id = ?')
			.bind(welcome.interview)
			.first<{ respondent_email: string | null }>();
		expect(row?.respondent_email).toBeNull();
	});

	it('an unlimited link reserves per interview and refuses a join the balance cannot cover (4402)', async () => {
		const setup = await setUp({ kind: 'public', maxUses: 0 }, { durationMinutes: 60 });
		const workspaceId = setup.owner.me.workspace.id;
		const covered = Number(env.SIGNUP_TOKENS) / 60;
		for (let index = 0; index < covered; index += 1)
			expect((await join(setup.links[0]!.token, { email: respondent() })).first.type).toBe('welcome');
		const balance = await callJson<{ available: number; reserved: number }>('/api/billing/balance', { as: setup.owner.as });
		expect(balance.body).toMatchObject({ available: 0, reserved: covered * 60 });
		const refused = await join(setup.links[0]!.token, { email: respondent() });
		expect(refused.first).toMatchObject({ type: 'error', code: 'insufficient_tokens' });
		expect((await refused.closed).code).toBe(CLOSE_CODES.insufficientTokens);
		const after = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?').bind(workspaceId).first();
		expect(after).toEqual({ available: 0, reserved: covered * 60 });
		const interviews = await env.DB.prepare('select count(*) as n from interview where link_id = ?')
			.bind(setup.links[0]!.id)
			.first<{ n: number }>();
		expect(interviews?.n).toBe(covered);
	});

	it('refuses the 51st open private link with a clear message, and writes nothing', async () => {
		const setup = await setUp(
			{ kind: 'private', names: Array.from({ length: 50 }, (_, index) => `Group ${index + 1}`), maxUses: 1 },
			{ durationMinutes: 1 }
		);
		expect(setup.links).toHaveLength(50);
		const refused = await callJson<{ error: { code: string; message: string } }>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'private', names: ['Group 51'], maxUses: 1 },
			as: setup.owner.as
		});
		expect(refused.status).toBe(409);
		expect(refused.body.error.message).toContain('50');
		const count = await env.DB.prepare('select count(*) as n from link where interviewer_id = ?')
			.bind(setup.interviewer.id)
			.first<{ n: number }>();
		expect(count?.n).toBe(50);
		await callJson(`/api/links/${setup.links[0]!.id}/cancel`, { method: 'POST', as: setup.owner.as });
		const again = await callJson<{ links: Link[] }>(`/api/interviewers/${setup.interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'private', names: ['Group 51'], maxUses: 1 },
			as: setup.owner.as
		});
		expect(again.status).toBe(201);
	});

	it('counts open private links per interviewer, not per workspace', async () => {
		const setup = await setUp({ kind: 'private', names: ['Student Group A'], maxUses: 0 });
		const other = await createInterviewer(setup.owner, setup.project.id, { name: 'Second interviewer' });
		const made = await createLinks(setup.owner, other.id, { kind: 'private', names: ['Student Group A'], maxUses: 0 });
		expect(made.links[0]!.name).toBe('Student Group A');
	});
});

describe('the multi-use relay', () => {
	it('carries binary audio to the interview as binary, so the recording is kept', async () => {
		const { links } = await setUp({ kind: 'public', maxUses: 2 });
		const joined = await join(links[0]!.token, { email: respondent() });
		expect(joined.first.type).toBe('welcome');
		for (let index = 0; index < 25; index += 1) joined.socket.send(pcmFrame(false));
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'left' });
		expect(joined.messages.filter((message) => message.type === 'error')).toEqual([]);
		const row = await env.DB.prepare('select audio_key from record where link_id = ?')
			.bind(links[0]!.id)
			.first<{ audio_key: string | null }>();
		expect(row?.audio_key).toBeTruthy();
		const wav = await env.FILES.head(row!.audio_key!);
		expect(wav!.size).toBeGreaterThanOrEqual(44 + 25 * 1920);
	});
});
