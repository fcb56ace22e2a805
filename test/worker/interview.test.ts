import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Turn } from '../../worker/contracts/protocol';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import { transcriptKey } from '../../worker/lib/storage-keys';
import type { Interview } from '../../durable-objects';
import { callJson } from './helpers/api';
import { armAlarm, crash, linkObject, patchLiveSession } from './helpers/durable';
import { join, respondent, sendPaced, serverClockPast, setUp, speech } from './helpers/interview';

async function ledgerOf(workspaceId: string) {
	const rows = await env.DB.prepare(
		'select kind, available_delta, reserved_delta, reference from ledger_entry where workspace_id = ? order by created_at, rowid'
	)
		.bind(workspaceId)
		.all();
	const balance = await env.DB.prepare('select available, reserved from token_balance where workspace_id = ?')
		.bind(workspaceId)
		.first<{ available: number; reserved: number }>();
	return {
		entries: rows.results as { kind: string; available_delta: number; reserved_delta: number; reference: string }[],
		balance: balance!
	};
}

describe('joining an interview', () => {
	it('welcomes the respondent and the interviewer opens with the first guide question', async () => {
		const { links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		expect(joined.first).toMatchObject({ type: 'welcome', protocol: 1, status: 'active', transcript: [], provider: 'local' });
		const remaining = (joined.first as { remainingMs: number }).remainingMs;
		expect(remaining).toBeGreaterThan(9 * 60_000);
		expect(remaining).toBeLessThanOrEqual(10 * 60_000);
		const opening = await joined.waitFor((all) =>
			all.find((message) => message.type === 'turn' && message.text.includes('What is your role?'))
		);
		expect(opening).toMatchObject({ role: 'interviewer', final: true });
	});

	it('admits exactly one of 20 different emails racing for a single-use link', async () => {
		const { links } = await setUp();
		const joins = await Promise.all(
			Array.from({ length: 20 }, (_, index) => join(links[0]!.token, { email: respondent(`racer${index}`) }))
		);
		const welcomed = joins.filter((joined) => joined.first.type === 'welcome');
		const refused = joins.filter((joined) => joined.first.type === 'error');
		expect(welcomed).toHaveLength(1);
		expect(refused).toHaveLength(19);
		for (const loser of refused) {
			expect(loser.first).toMatchObject({ code: 'in_use' });
			expect((await loser.closed).code).toBe(CLOSE_CODES.inUse);
		}
		const count = await env.DB.prepare('select count(*) as n from interview where link_id = ?').bind(links[0]!.id).first<{ n: number }>();
		expect(count?.n).toBe(1);
	});

	it('lets the same email rejoin and keeps counting down; another email is refused', async () => {
		const { links } = await setUp();
		const email = respondent();
		const first = await join(links[0]!.token, { email });
		const before = (first.first as { remainingMs: number }).remainingMs;
		await first.waitFor((all) => all.find((message) => message.type === 'turn'));
		await serverClockPast(first, before);
		const again = await join(links[0]!.token, { email: email.toUpperCase() });
		expect(again.first.type).toBe('welcome');
		const after = (again.first as { remainingMs: number; transcript: Turn[] }).remainingMs;
		expect(after).toBeLessThan(before);
		expect((again.first as { transcript: Turn[] }).transcript.length).toBeGreaterThan(0);
		expect(await first.closed).toMatchObject({ code: CLOSE_CODES.replaced });
		const stranger = await join(links[0]!.token, { email: respondent('stranger') });
		expect(stranger.first).toMatchObject({ type: 'error', code: 'in_use' });
	});
});

describe('the respondent socket the interviewer speaks to', () => {
	it('after a rejoin from another tab, the interviewer answers on the new socket, not the replaced one', async () => {
		const { links } = await setUp();
		const email = respondent();
		const first = await join(links[0]!.token, { email });
		await first.waitFor((all) => all.find((message) => message.type === 'turn'));
		const second = await join(links[0]!.token, { email });
		expect(await first.closed).toMatchObject({ code: CLOSE_CODES.replaced });
		const heardBefore = first.messages.length;
		second.socket.send(JSON.stringify({ type: 'text', content: 'I run the support team, eleven people in three time zones.' }));
		const reply = await second.waitFor((all) =>
			all.find(
				(message) => message.type === 'turn' && message.role === 'interviewer' && (message as Turn).final && all.indexOf(message) > 0
			)
		);
		expect(reply).toMatchObject({ type: 'turn', role: 'interviewer' });
		expect(first.messages.length).toBe(heardBefore);
	});
});

describe('durability', () => {
	it('keeps turns and the deadline across a restart of its object, and the respondent rejoins and carries on', async () => {
		const { links } = await setUp();
		const email = respondent();
		const joined = await join(links[0]!.token, { email });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I lead a design team of six people across two offices.' }));
		await joined.waitFor((all) =>
			all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= 3 ? true : undefined
		);
		const alarmOf = () => runInDurableObject(linkObject(links[0]!.id), (_instance: Interview, state) => state.storage.getAlarm());
		const deadline = await alarmOf();
		// The respondent's socket is held in memory, not for hibernation: the runtime lists no socket of the object's.
		expect(await runInDurableObject(linkObject(links[0]!.id), (_instance: Interview, state) => state.getWebSockets())).toEqual([]);

		await crash();
		// The restart drops it with a code the page reconnects on (a 4xxx close would be the server's decision to stop).
		expect((await joined.closed).code).toBeLessThan(4000);
		const rejoined = await join(links[0]!.token, { email });
		expect(rejoined.first.type).toBe('welcome');
		const transcript = (rejoined.first as { transcript: Turn[] }).transcript;
		expect(transcript.map((turn) => turn.role)).toEqual(['interviewer', 'interviewer', 'respondent', 'interviewer']);
		expect(await alarmOf()).toBe(deadline);
		rejoined.socket.send(JSON.stringify({ type: 'text', content: 'Figma, Linear and a lot of Slack, every single day.' }));
		const next = await rejoined.waitFor((all) =>
			all.find((message) => message.type === 'turn' && message.role === 'interviewer' && message.text.includes('first week'))
		);
		expect(next).toMatchObject({ role: 'interviewer', final: true });

		await crash();
		const voice = await join(links[0]!.token, { email });
		await sendPaced(voice.socket, speech(30, 30));
		const spoken = await voice.waitFor((all) =>
			all.find((message) => message.type === 'turn' && message.role === 'respondent' && message.transcribed === false)
		);
		expect(spoken).toMatchObject({ role: 'respondent', final: true, transcribed: false });
		const reply = await voice.waitFor((all) =>
			all.find((message) => message.type === 'turn' && message.role === 'interviewer' && message.at > (spoken as Turn).at)
		);
		const final = await join(links[0]!.token, { email });
		const order = (final.first as { transcript: Turn[] }).transcript.map((turn) => turn.id);
		expect(order.slice(-2)).toEqual([(spoken as Turn).id, (reply as Turn).id]);
		expect(order.indexOf((spoken as Turn).id)).toBeGreaterThan(order.indexOf(transcript.at(-1)!.id));
	});
});

describe('completion', () => {
	it('ends at the deadline alarm exactly once: one record, one charge, transcript in R2 equal to what was sent', async () => {
		const { owner, links } = await setUp();
		const workspaceId = owner.me.workspace.id;
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I am a product manager for the mobile app.' }));
		await joined.waitFor((all) => (all.filter((message) => message.type === 'turn').length >= 3 ? true : undefined));

		const stub = linkObject(links[0]!.id);
		const { startedAt } = await patchLiveSession(stub, () => ({ deadlineAt: Date.now() - 1 }));
		await armAlarm(stub);
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		await runInDurableObject(stub, (_instance: Interview, state) => state.storage.setAlarm(Date.now() + 60_000));
		await runDurableObjectAlarm(stub);
		await runInDurableObject(stub, (instance: Interview) => instance.finalize('deadline'));

		expect(await joined.next('ended')).toMatchObject({ reason: 'deadline' });
		const records = await env.DB.prepare('select * from record where link_id = ?')
			.bind(links[0]!.id)
			.all<{ interview_id: string; transcript_key: string }>();
		expect(records.results).toHaveLength(1);
		const interviewRow = await env.DB.prepare('select * from interview where link_id = ?')
			.bind(links[0]!.id)
			.first<{ id: string; status: string; used_ms: number; charged_tokens: number; project_id: string }>();
		expect(interviewRow).toMatchObject({ status: 'completed' });

		const sent = joined.messages.filter((message) => message.type === 'turn').map(({ type: _type, ...turn }) => turn);
		const stored = await env.FILES.get(transcriptKey(workspaceId, interviewRow!.project_id, interviewRow!.id));
		const archived = (await stored!.json<{ turns: (Turn & { startMs: unknown; endMs: unknown })[] }>()).turns.map(
			({ startMs: _s, endMs: _e, ...turn }) => turn
		);
		expect(archived).toEqual(sent);

		const minutes = Math.ceil(interviewRow!.used_ms / 60_000);
		expect(interviewRow!.used_ms).toBeLessThanOrEqual(Date.now() - startedAt);
		const { entries, balance } = await ledgerOf(workspaceId);
		const charges = entries.filter((entry) => entry.kind === 'charge');
		expect(charges).toHaveLength(1);
		expect(-charges[0]!.reserved_delta).toBe(minutes);
		expect(interviewRow!.charged_tokens).toBe(minutes);
		expect(balance.reserved).toBe(0);
		expect(balance.available).toBe(Number(env.SIGNUP_TOKENS) - minutes);
		const link = await callJson<{ status: string; tab: string }>(`/api/links/${links[0]!.id}`, { as: owner.as });
		expect(link.body).toMatchObject({ status: 'completed', tab: 'completed' });
	});

	it('completes when the respondent leaves, with their audio kept as a WAV', async () => {
		const { owner, links } = await setUp();
		const joined = await join(links[0]!.token, { email: respondent() });
		await joined.waitFor((all) => all.find((message) => message.type === 'turn'));
		await sendPaced(joined.socket, speech(30, 30));
		const voiceTurn = await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		expect(voiceTurn).toMatchObject({ transcribed: false });
		expect(joined.messages.some((message) => message.type === 'playback.flush')).toBe(true);
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		expect(await joined.next('ended')).toMatchObject({ reason: 'left' });
		const row = await env.DB.prepare('select audio_key, status from record where link_id = ?')
			.bind(links[0]!.id)
			.first<{ audio_key: string; status: string }>();
		expect(row?.status).toBe('untranscribed');
		const wav = await env.FILES.get(row!.audio_key);
		const bytes = new Uint8Array(await wav!.arrayBuffer());
		expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
		expect(bytes.byteLength - 44).toBeGreaterThanOrEqual(60 * 1920);
		const balance = await callJson<{ available: number; reserved: number }>('/api/billing/balance', { as: owner.as });
		expect(balance.body.reserved).toBe(0);
	});
});
