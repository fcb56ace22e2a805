import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../worker/contracts/links';
import { CLOSE_CODES } from '../../worker/contracts/protocol';
import type { ProjectQuotas } from '../../worker/contracts/screeners';
import type { RecordDetail } from '../../worker/contracts/records';
import { call, callJson, type TestUser } from './helpers/api';
import { completeInterview } from './records-fixtures';
import { join, respondent, setUp } from './helpers/interview';
import { answers, optionQuota, saveQuotas, saveScreener } from './helpers/screener';
import { openSocket } from './helpers/socket';

/** Everything a join could have written: the link's uses and status, its interviews, and the workspace's ledger. */
async function footprint(workspaceId: string, linkId: string) {
	const link = await env.DB.prepare('select uses, status, reserved_tokens from link where id = ?').bind(linkId).first();
	const interviews = await env.DB.prepare('select count(*) as n from interview where link_id = ?').bind(linkId).first<{ n: number }>();
	const ledger = await env.DB.prepare(
		'select count(*) as entries, coalesce(sum(available_delta), 0) as available, coalesce(sum(reserved_delta), 0) as reserved from ledger_entry where workspace_id = ?'
	)
		.bind(workspaceId)
		.first();
	const slots = await env.DB.prepare('select count(*) as n from interview_quota').first<{ n: number }>();
	return { link, interviews: interviews!.n, ledger, slots: slots!.n };
}

async function screenedSetUp(links: Record<string, unknown>) {
	const setup = await setUp({ ...links, screenerEnabled: true });
	await saveScreener(setup.owner, setup.project.id);
	return setup;
}

const screenedOut = async (linkId: string) =>
	(await env.DB.prepare('select screened_out as n from link where id = ?').bind(linkId).first<{ n: number }>())!.n;

const LINKS = [
	['a single-use link', { kind: 'single', count: 1 }],
	['an unlimited public link', { kind: 'public', maxUses: 0 }],
	['a capped public link', { kind: 'public', maxUses: 2 }]
] as const;

describe('screener at admission', () => {
	for (const [name, links] of LINKS) {
		it(`${name}: qualifying answers admit, and the interview keeps them in its record`, async () => {
			const { owner, links: made } = await screenedSetUp(links);
			const joined = await join(made[0]!.token, { email: respondent(), screener: answers('ios', 30) });
			expect(joined.first.type).toBe('welcome');
			const row = await env.DB.prepare('select screener_answers from interview where link_id = ?')
				.bind(made[0]!.id)
				.first<{ screener_answers: string }>();
			expect(JSON.parse(row!.screener_answers)).toEqual([
				{
					questionId: 'platform',
					question: { en: 'Which phone do you use?', ru: 'Каким телефоном вы пользуетесь?' },
					answers: [{ en: 'iPhone', ru: 'iPhone' }],
					value: null
				},
				{ questionId: 'age', question: { en: 'How old are you?', ru: 'Сколько вам лет?' }, answers: [], value: 30 }
			]);
			joined.socket.close();
			expect(await screenedOut(made[0]!.id)).toBe(0);
			void owner;
		});

		for (const [why, given] of [
			['a disqualifying option', answers('none', 30)],
			['a number outside every range', answers('android', 17)]
		] as const) {
			it(`${name}: ${why} is refused and writes no interview, no use, no reservation, no ledger entry`, async () => {
				const { owner, links: made } = await screenedSetUp(links);
				const before = await footprint(owner.me.workspace.id, made[0]!.id);
				const refused = await join(made[0]!.token, { email: respondent(), screener: given });
				expect(refused.first).toMatchObject({ type: 'error', code: 'screened_out' });
				expect((await refused.closed).code).toBe(CLOSE_CODES.screenedOut);
				expect(await footprint(owner.me.workspace.id, made[0]!.id)).toEqual(before);
				expect(await screenedOut(made[0]!.id)).toBe(1);
				const qualified = await join(made[0]!.token, { email: respondent(), screener: answers('ios', 40) });
				expect(qualified.first.type).toBe('welcome');
				qualified.socket.close();
			});
		}
	}

	it('a single-use link’s socket screens its hello too: a disqualified hello leaves the link pending', async () => {
		const { owner, links } = await screenedSetUp({ kind: 'single', count: 1 });
		const before = await footprint(owner.me.workspace.id, links[0]!.id);
		const socket = await openSocket(`/ws/interview/${links[0]!.token}`);
		socket.socket.send(JSON.stringify({ type: 'hello', protocol: 1, email: respondent(), consent: true, screener: answers('none', 30) }));
		expect(await socket.next('error')).toMatchObject({ code: 'screened_out' });
		expect((await socket.closed).code).toBe(CLOSE_CODES.screenedOut);
		expect(await footprint(owner.me.workspace.id, links[0]!.id)).toEqual(before);
		const listed = await callJson<Link>(`/api/links/${links[0]!.id}`, { as: owner.as });
		expect(listed.body).toMatchObject({ status: 'pending', uses: 0, screenedOut: 1 });
	});

	const INCOMPLETE: [string, unknown][] = [
		['no answers', undefined],
		['one question unanswered', [{ questionId: 'platform', optionIds: ['ios'] }]],
		['an option the question does not have', answers('windows', 30)],
		[
			'two options on a single choice',
			[
				{ questionId: 'platform', optionIds: ['ios', 'android'] },
				{ questionId: 'age', value: 30 }
			]
		],
		[
			'a number for a choice question',
			[
				{ questionId: 'platform', value: 1 },
				{ questionId: 'age', value: 30 }
			]
		],
		['an answer given twice', [...answers('ios', 30), { questionId: 'age', value: 31 }]]
	];
	for (const [name, given] of INCOMPLETE) {
		it(`${name} is refused as incomplete and writes nothing`, async () => {
			const { owner, links } = await screenedSetUp({ kind: 'public', maxUses: 0 });
			const before = await footprint(owner.me.workspace.id, links[0]!.id);
			const refused = await join(links[0]!.token, { email: respondent(), screener: given });
			expect(refused.first).toMatchObject({ type: 'error', code: 'screener_incomplete' });
			expect(await footprint(owner.me.workspace.id, links[0]!.id)).toEqual(before);
			expect(await screenedOut(links[0]!.id)).toBe(0);
		});
	}

	it('malformed answers are a 400 (unknown fields, wrong types), and write nothing', async () => {
		const { owner, links } = await screenedSetUp({ kind: 'public', maxUses: 0 });
		const before = await footprint(owner.me.workspace.id, links[0]!.id);
		for (const screener of [
			[{ questionId: 'age', value: 30, qualifies: true }],
			[{ questionId: 'age', value: '30' }],
			'ios',
			Array.from({ length: 11 }, () => ({ questionId: 'age', value: 30 }))
		]) {
			const response = await callJson<{ error: { code: string } }>(`/api/public/links/${links[0]!.token}/join`, {
				method: 'POST',
				json: { email: respondent(), consent: true, screener }
			});
			expect(response.status).toBe(400);
			expect(response.body.error.code).toMatch(/\w+/);
		}
		expect(await footprint(owner.me.workspace.id, links[0]!.id)).toEqual(before);
	});

	it('a link with the screener off admits without answers, and ignores none of its checks', async () => {
		const { owner, project, links } = await setUp({ kind: 'public', maxUses: 0 });
		await saveScreener(owner, project.id);
		const joined = await join(links[0]!.token, { email: respondent() });
		expect(joined.first.type).toBe('welcome');
		joined.socket.close();
	});

	it('the respondent rejoining a running interview is not screened again', async () => {
		const { links } = await screenedSetUp({ kind: 'single', count: 1 });
		const email = respondent();
		const first = await join(links[0]!.token, { email, screener: answers('ios', 30) });
		expect(first.first.type).toBe('welcome');
		first.socket.close();
		const again = await join(links[0]!.token, { email });
		expect(again.first.type).toBe('welcome');
		again.socket.close();
	});
});

describe('quotas at admission', () => {
	async function quotaSetUp(cap: number, owner?: TestUser) {
		void owner;
		const setup = await screenedSetUp({ kind: 'public', maxUses: 0 });
		const saved = await saveQuotas(setup.owner, setup.project.id, [optionQuota('ios', cap)]);
		expect(saved.status).toBe(200);
		return setup;
	}

	it('a full quota refuses its segment with its own code and writes nothing; other segments still join', async () => {
		const { owner, project, links } = await quotaSetUp(1);
		const first = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 30) });
		expect(first.first.type).toBe('welcome');
		const before = await footprint(owner.me.workspace.id, links[0]!.id);
		const refused = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 31) });
		expect(refused.first).toMatchObject({ type: 'error', code: 'quota_full' });
		expect((await refused.closed).code).toBe(CLOSE_CODES.quotaFull);
		expect(await footprint(owner.me.workspace.id, links[0]!.id)).toEqual(before);
		const android = await join(links[0]!.token, { email: respondent(), screener: answers('android', 31) });
		expect(android.first.type).toBe('welcome');
		const fill = await callJson<ProjectQuotas>(`/api/projects/${project.id}/quotas`, { as: owner.as });
		expect(fill.body.quotas).toMatchObject([{ optionId: 'ios', cap: 1, filled: 1 }]);
		first.socket.close();
		android.socket.close();
	});

	it('a link quota counts only its link; a number range quota counts answers inside it', async () => {
		const { owner, project, interviewer, links } = await screenedSetUp({ kind: 'public', maxUses: 0 });
		const other = await callJson<{ links: Link[] }>(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'public', maxUses: 0, screenerEnabled: true },
			as: owner.as
		});
		const second = other.body.links[0]!;
		await saveQuotas(owner, project.id, [{ linkId: links[0]!.id, questionId: 'age', optionId: null, min: 18, max: 24, cap: 1 }]);
		const young = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 20) });
		expect(young.first.type).toBe('welcome');
		const older = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 40) });
		expect(older.first.type).toBe('welcome');
		const youngAgain = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 24) });
		expect(youngAgain.first).toMatchObject({ code: 'quota_full' });
		const elsewhere = await join(second.token, { email: respondent(), screener: answers('ios', 20) });
		expect(elsewhere.first.type).toBe('welcome');
		for (const joined of [young, older, elsewhere]) joined.socket.close();
	});

	it('an interview that ends empty gives its quota slot back; one the respondent answered keeps it', async () => {
		const { owner, project, links } = await quotaSetUp(1);
		const leave = async (answer: string | null) => {
			const joined = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 30) });
			expect(joined.first.type).toBe('welcome');
			await joined.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'interviewer'));
			if (answer) {
				joined.socket.send(JSON.stringify({ type: 'text', content: answer }));
				await joined.waitFor((all) =>
					all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= 2 ? true : undefined
				);
			}
			joined.socket.send(JSON.stringify({ type: 'leave' }));
			await joined.next('ended');
		};
		const filled = async () =>
			(await callJson<ProjectQuotas>(`/api/projects/${project.id}/quotas`, { as: owner.as })).body.quotas[0]!.filled;
		await leave(null);
		await expect.poll(filled).toBe(0);
		await leave('I use my phone for everything, mostly messaging.');
		expect(await filled()).toBe(1);
		const refused = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 30) });
		expect(refused.first).toMatchObject({ code: 'quota_full' });
	});

	it('raising a full quota’s cap admits its segment again', async () => {
		const { owner, project, links } = await quotaSetUp(1);
		const first = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 30) });
		expect((await join(links[0]!.token, { email: respondent(), screener: answers('ios', 30) })).first).toMatchObject({
			code: 'quota_full'
		});
		await saveQuotas(owner, project.id, [optionQuota('ios', 2)]);
		const next = await join(links[0]!.token, { email: respondent(), screener: answers('ios', 30) });
		expect(next.first.type).toBe('welcome');
		first.socket.close();
		next.socket.close();
	});
});

describe('screener answers on the record', () => {
	it('the record and the CSV export show the answers, one column per question', async () => {
		const setup = await screenedSetUp({ kind: 'single', count: 2 });
		const recordId = await completeInterview(setup, ['I run the support desk.'], { screener: answers('android', 29) });
		const record = await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as });
		expect(record.body.screenerAnswers).toMatchObject([
			{ questionId: 'platform', answers: [{ en: 'Android' }], value: null },
			{ questionId: 'age', answers: [], value: 29 }
		]);
		const csv = await call(`/api/projects/${setup.project.id}/records/export?format=csv`, { as: setup.owner.as });
		const [header, row] = (await csv.text()).trim().split('\r\n');
		expect(header).toMatch(/,Screener: Which phone do you use\?,Screener: How old are you\?$/);
		expect(row).toMatch(/,Android,29$/);
	});
});
