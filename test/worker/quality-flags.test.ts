import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RecordDetail, RecordSummary } from '../../worker/contracts/records';
import { call, callJson, signUp, type TestUser } from './helpers/api';
import { setUp } from './helpers/interview';
import { addMember, createProject } from './helpers/workspace';
import { uploadText } from './records-fixtures';

/** Transcripts whose computed flag is known: full answers (ok), one non-answer in three (review), only non-answers (low quality). */
const TRANSCRIPTS = {
	ok: [
		'Interviewer: What is your role?',
		'Respondent: I lead the design team for our onboarding flow and have done so for three years.',
		'Interviewer: Which tools do you use?',
		'Respondent: Every day I use Figma for design work, Slack for messages and Linear for the roadmap.'
	],
	review: [
		'Interviewer: What is your role?',
		'Respondent: I lead the design team for our onboarding flow and have done so for three years.',
		'Interviewer: Which tools do you use?',
		'Respondent: Every day I use Figma for design work, Slack for messages and Linear for the roadmap.',
		'Interviewer: How was your first week?',
		'Respondent: I don’t know.'
	],
	low_quality: [
		'Interviewer: What is your role?',
		'Respondent: I don’t know.',
		'Interviewer: Which tools do you use?',
		'Respondent: No idea.',
		'Interviewer: How was your first week?',
		'Respondent: Pass.'
	]
} as const;
type Expected = keyof typeof TRANSCRIPTS;

async function uploadFlagged(user: TestUser, projectId: string, flag: Expected, label: string): Promise<RecordDetail> {
	const uploaded = await uploadText(user, projectId, `${label}.txt`, TRANSCRIPTS[flag].join('\n'));
	expect(uploaded.quality.computedFlag, label).toBe(flag);
	return uploaded;
}

const list = (user: TestUser, projectId: string, query: string) =>
	callJson<{ records: RecordSummary[]; nextCursor: string | null }>(`/api/projects/${projectId}/records?${query}`, { as: user.as });

/** Every record of a filter, page by page. */
async function allPages(user: TestUser, projectId: string, query: string): Promise<string[]> {
	const ids: string[] = [];
	let cursor: string | null = null;
	do {
		const page = await list(user, projectId, `${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		expect(page.status).toBe(200);
		expect(page.body.records.length).toBeLessThanOrEqual(2);
		ids.push(...page.body.records.map((row) => row.id));
		cursor = page.body.nextCursor;
	} while (cursor);
	return ids;
}

const setQuality = (user: TestUser, recordId: string, json: unknown) =>
	callJson<RecordDetail & { error?: { code: string } }>(`/api/records/${recordId}/quality`, { method: 'PUT', json, as: user.as });

describe('quality flags on records', () => {
	it('shows the flag and its reasons in the list and the detail', async () => {
		const { owner, project } = await setUp();
		const low = await uploadFlagged(owner, project.id, 'low_quality', 'low');
		const page = await list(owner, project.id, '');
		expect(page.body.records[0]!.quality).toMatchObject({ flag: 'low_quality', computedFlag: 'low_quality', override: null });
		expect(page.body.records[0]!.quality.reasons[0]).toMatchObject({ code: 'non_answers', severity: 'low_quality', value: 1 });
		const detail = await callJson<RecordDetail>(`/api/records/${low.id}`, { as: owner.as });
		expect(detail.body.quality.flag).toBe('low_quality');
		expect(detail.body.quality.signals).toMatchObject({ nonAnswerShare: 1, respondentAnswers: 3 });
		expect(detail.body.qualityHistory).toEqual([]);
	});

	it('shows a record made before quality flags as not assessed: no flag, no reasons', async () => {
		const { owner, project } = await setUp();
		const older = await uploadFlagged(owner, project.id, 'ok', 'older');
		await env.DB.prepare('update record set quality_flag = null, quality_reasons = null, quality_signals = null where id = ?')
			.bind(older.id)
			.run();
		const detail = await callJson<RecordDetail>(`/api/records/${older.id}`, { as: owner.as });
		expect(detail.body.quality).toEqual({ flag: null, computedFlag: null, reasons: [], signals: null, override: null });
		expect((await list(owner, project.id, 'quality=not_assessed')).body.records.map((row) => row.id)).toEqual([older.id]);
		expect((await list(owner, project.id, 'quality=ok')).body.records).toEqual([]);
	});

	it('filters the list by flag, page by page with the cursor', async () => {
		const { owner, project } = await setUp();
		const made: Record<Expected, string[]> = { ok: [], review: [], low_quality: [] };
		for (const [flag, count] of [
			['ok', 3],
			['low_quality', 3],
			['review', 2]
		] as const) {
			for (let index = 0; index < count; index += 1) made[flag].push((await uploadFlagged(owner, project.id, flag, `${flag}-${index}`)).id);
		}
		for (const flag of ['ok', 'review', 'low_quality'] as const) {
			expect((await allPages(owner, project.id, `quality=${flag}`)).sort()).toEqual([...made[flag]].sort());
		}
		// The flag combines with the other filters: the search finds one of the three low-quality records by its title.
		const title = (await callJson<RecordDetail>(`/api/records/${made.low_quality[1]}`, { as: owner.as })).body.title;
		expect(await allPages(owner, project.id, `quality=low_quality&q=${encodeURIComponent(title)}`)).toEqual([made.low_quality[1]]);
		expect((await list(owner, project.id, 'quality=bad')).status).toBe(400);
		expect((await list(owner, project.id, 'quality=')).status).toBe(400);
	});

	it('lets a researcher override the flag with a note, and clear it, keeping who did it and when', async () => {
		const { owner, project } = await setUp();
		const member = await addMember(owner, 'member');
		const low = await uploadFlagged(owner, project.id, 'low_quality', 'low');

		const overridden = await setQuality(member, low.id, { flag: 'ok', note: '  Terse, but they answered what we needed.  ' });
		expect(overridden.status).toBe(200);
		expect(overridden.body.quality).toMatchObject({
			flag: 'ok',
			computedFlag: 'low_quality',
			override: { flag: 'ok', note: 'Terse, but they answered what we needed.', by: { id: member.me.user.id, name: 'Test Researcher' } }
		});
		expect(Date.parse(overridden.body.quality.override!.at)).not.toBeNaN();
		// The override wins in the filter too.
		expect((await list(owner, project.id, 'quality=ok')).body.records.map((row) => row.id)).toEqual([low.id]);
		expect((await list(owner, project.id, 'quality=low_quality')).body.records).toEqual([]);
		expect((await list(owner, project.id, '')).body.records[0]!.quality.override).toMatchObject({
			flag: 'ok',
			by: { name: 'Test Researcher' }
		});

		const cleared = await setQuality(owner, low.id, { flag: null });
		expect(cleared.status).toBe(200);
		expect(cleared.body.quality).toMatchObject({ flag: 'low_quality', computedFlag: 'low_quality', override: null });
		expect(cleared.body.qualityHistory).toMatchObject([
			{ action: 'clear', flag: null, note: '', by: { id: owner.me.user.id } },
			{ action: 'override', flag: 'ok', note: 'Terse, but they answered what we needed.', by: { id: member.me.user.id } }
		]);
		expect((await list(owner, project.id, 'quality=low_quality')).body.records.map((row) => row.id)).toEqual([low.id]);
	});

	it('refuses bad input with a 4xx and changes nothing', async () => {
		const { owner, project } = await setUp();
		const record = await uploadFlagged(owner, project.id, 'review', 'review');
		const bad: [unknown, string][] = [
			[{ flag: 'great' }, 'invalid_request'],
			[{}, 'invalid_request'],
			[{ flag: 'ok', note: 'x'.repeat(1001) }, 'invalid_request'],
			[{ flag: 'ok', note: 42 }, 'invalid_request'],
			[{ flag: 'ok', reason: 'extra' }, 'unknown_field']
		];
		for (const [json, code] of bad) {
			const response = await setQuality(owner, record.id, json);
			expect(response.status, JSON.stringify(json)).toBe(400);
			expect(response.body.error!.code, JSON.stringify(json)).toBe(code);
		}
		const notJson = await call(`/api/records/${record.id}/quality`, {
			method: 'PUT',
			body: '{"flag":',
			headers: { 'Content-Type': 'application/json' },
			as: owner.as
		});
		expect(notJson.status).toBe(400);
		expect((await setQuality(owner, 'no-such-record', { flag: 'ok' })).status).toBe(404);
		const detail = await callJson<RecordDetail>(`/api/records/${record.id}`, { as: owner.as });
		expect(detail.body.quality).toMatchObject({ flag: 'review', override: null });
		expect(detail.body.qualityHistory).toEqual([]);
	});

	it("never touches another workspace's record", async () => {
		const { owner, project } = await setUp();
		const record = await uploadFlagged(owner, project.id, 'low_quality', 'low');
		const stranger = await signUp('stranger');
		await createProject(stranger);
		const response = await setQuality(stranger, record.id, { flag: 'ok' });
		expect(response.status).toBe(404);
		expect((await call(`/api/records/${record.id}/quality`, { method: 'PUT', json: { flag: 'ok' } })).status).toBe(401);
		const detail = await callJson<RecordDetail>(`/api/records/${record.id}`, { as: owner.as });
		expect(detail.body.quality).toMatchObject({ flag: 'low_quality', override: null });
		expect(detail.body.qualityHistory).toEqual([]);
	});
});
