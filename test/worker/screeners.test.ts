import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Link, PublicLink } from '../../worker/contracts/links';
import type { ProjectQuotas, Screener } from '../../worker/contracts/screeners';
import { callJson, signUp } from './helpers/api';
import { setUp } from './helpers/interview';
import { AGE, optionQuota, PLATFORM, saveQuotas, saveScreener, SCREENER } from './helpers/screener';
import { createProject } from './helpers/workspace';

type ErrorBody = { error: { code: string; message: string } };

const storedScreener = async (projectId: string) =>
	(await env.DB.prepare('select screener from project where id = ?').bind(projectId).first<{ screener: string }>())!.screener;

describe('screener questions', () => {
	it('a project starts with no screener, saves one in both languages and reads it back', async () => {
		const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
		const empty = await callJson<Screener>(`/api/projects/${project.id}/screener`, { as: owner.as });
		expect(empty).toMatchObject({ status: 200, body: { questions: [] } });
		const saved = await saveScreener(owner, project.id);
		expect(saved.status).toBe(200);
		const read = await callJson<Screener>(`/api/projects/${project.id}/screener`, { as: owner.as });
		expect(read.body).toEqual(SCREENER);
	});

	it('Russian text may be left empty (the respondent then reads the English)', async () => {
		const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
		const question = {
			id: 'q',
			kind: 'multiple',
			text: { en: 'Which apps?' },
			options: [
				{ id: 'a', text: { en: 'A' }, qualifies: true },
				{ id: 'b', text: { en: 'B' }, qualifies: false }
			]
		};
		const saved = await saveScreener(owner, project.id, { questions: [question] });
		expect(saved.status).toBe(200);
		expect(saved.body.questions[0]!.text).toEqual({ en: 'Which apps?', ru: '' });
	});

	const BAD: [string, unknown][] = [
		['no qualifying option', { questions: [{ ...PLATFORM, options: PLATFORM.options.map((o) => ({ ...o, qualifies: false })) }] }],
		['one option only', { questions: [{ ...PLATFORM, options: [PLATFORM.options[0]] }] }],
		['duplicate option ids', { questions: [{ ...PLATFORM, options: [PLATFORM.options[0], PLATFORM.options[0]] }] }],
		['duplicate question ids', { questions: [PLATFORM, { ...AGE, id: 'platform' }] }],
		['a range that ends before it starts', { questions: [{ ...AGE, ranges: [{ min: 65, max: 18 }] }] }],
		['a number question without ranges', { questions: [{ ...AGE, ranges: [] }] }],
		['empty English text', { questions: [{ ...AGE, text: { en: ' ', ru: 'Возраст' } }] }],
		['an unknown field', { questions: [{ ...AGE, weight: 2 }] }],
		['an unknown kind', { questions: [{ ...AGE, kind: 'text' }] }],
		['an id with spaces', { questions: [{ ...AGE, id: 'how old' }] }],
		['eleven questions', { questions: Array.from({ length: 11 }, (_, index) => ({ ...AGE, id: `q${index}` })) }]
	];
	for (const [name, body] of BAD) {
		it(`refuses ${name} with a 4xx and keeps the saved screener`, async () => {
			const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
			await saveScreener(owner, project.id);
			const before = await storedScreener(project.id);
			const refused = await callJson<ErrorBody>(`/api/projects/${project.id}/screener`, { method: 'PUT', json: body, as: owner.as });
			expect(refused.status).toBeGreaterThanOrEqual(400);
			expect(refused.status).toBeLessThan(500);
			expect(refused.body.error.code).toMatch(/\w+/);
			expect(await storedScreener(project.id)).toBe(before);
		});
	}

	it("another workspace's project is not found, and its screener unchanged", async () => {
		const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
		await saveScreener(owner, project.id);
		const stranger = await signUp('stranger');
		const read = await callJson<ErrorBody>(`/api/projects/${project.id}/screener`, { as: stranger.as });
		expect(read.status).toBe(404);
		const write = await saveScreener(stranger, project.id, { questions: [] });
		expect(write.status).toBe(404);
		expect(JSON.parse(await storedScreener(project.id))).toHaveLength(2);
	});

	it('the public link shows the questions only when the link turns the screener on, and never which options qualify', async () => {
		const { owner, project, links } = await setUp({ kind: 'public', maxUses: 5 });
		await saveScreener(owner, project.id);
		const off = await callJson<PublicLink>(`/api/public/links/${links[0]!.token}`);
		expect(off.body.screener).toEqual([]);
		const toggled = await callJson<Link>(`/api/links/${links[0]!.id}`, { method: 'PATCH', json: { screenerEnabled: true }, as: owner.as });
		expect(toggled).toMatchObject({ status: 200, body: { screenerEnabled: true, screenedOut: 0 } });
		const on = await callJson<PublicLink>(`/api/public/links/${links[0]!.token}`);
		expect(on.body.screener.map((question) => question.id)).toEqual(['platform', 'age']);
		expect(on.body.screener[0]!.options).toEqual([
			{ id: 'ios', text: { en: 'iPhone', ru: 'iPhone' } },
			{ id: 'android', text: { en: 'Android', ru: 'Android' } },
			{ id: 'none', text: { en: 'No smartphone', ru: 'Нет смартфона' } }
		]);
		expect(JSON.stringify(on.body)).not.toMatch(/qualifies|ranges|"min"|"max"/);
	});

	it('a link can be created with the screener on, and refuses a non-boolean toggle', async () => {
		const { owner, project, interviewer } = await setUp({ kind: 'public', maxUses: 5 });
		await saveScreener(owner, project.id);
		const created = await callJson<{ links: Link[] }>(`/api/interviewers/${interviewer.id}/links`, {
			method: 'POST',
			json: { kind: 'single', count: 1, screenerEnabled: true },
			as: owner.as
		});
		expect(created.status).toBe(201);
		expect(created.body.links[0]!.screenerEnabled).toBe(true);
		const bad = await callJson<ErrorBody>(`/api/links/${created.body.links[0]!.id}`, {
			method: 'PATCH',
			json: { screenerEnabled: 'yes' },
			as: owner.as
		});
		expect(bad.status).toBe(400);
	});
});

describe('quotas', () => {
	it('saves project and link quotas, labels them, and keeps a quota’s id when only its cap changes', async () => {
		const { owner, project, links } = await setUp({ kind: 'public', maxUses: 5 });
		await saveScreener(owner, project.id);
		const first = await saveQuotas(owner, project.id, [
			optionQuota('ios', 5),
			{ linkId: links[0]!.id, questionId: 'age', optionId: null, min: 18, max: 24, cap: 10 }
		]);
		expect(first.status).toBe(200);
		expect(first.body.quotas).toMatchObject([
			{ linkId: null, optionId: 'ios', cap: 5, filled: 0, label: { en: 'iPhone' } },
			{ linkId: links[0]!.id, questionId: 'age', min: 18, max: 24, cap: 10, filled: 0, label: { en: '18–24' } }
		]);
		const second = await saveQuotas(owner, project.id, [optionQuota('ios', 7)]);
		expect(second.body.quotas).toHaveLength(1);
		expect(second.body.quotas[0]).toMatchObject({ id: first.body.quotas[0]!.id, cap: 7 });
		const listed = await callJson<ProjectQuotas>(`/api/projects/${project.id}/quotas`, { as: owner.as });
		expect(listed.body.quotas).toEqual(second.body.quotas);
	});

	it('removing an option from the screener removes its quotas', async () => {
		const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
		await saveScreener(owner, project.id);
		await saveQuotas(owner, project.id, [optionQuota('ios', 5), optionQuota('android', 5)]);
		await saveScreener(owner, project.id, {
			questions: [{ ...PLATFORM, options: PLATFORM.options.filter((option) => option.id !== 'ios') }, AGE]
		});
		const listed = await callJson<ProjectQuotas>(`/api/projects/${project.id}/quotas`, { as: owner.as });
		expect(listed.body.quotas.map((quota) => quota.optionId)).toEqual(['android']);
	});

	const BAD: [string, (linkId: string) => unknown][] = [
		['an unknown question', () => ({ ...optionQuota('ios', 5), questionId: 'nope' })],
		['an unknown option', () => optionQuota('windows', 5)],
		['a range on a choice question', () => ({ ...optionQuota('ios', 5), min: 1 })],
		['an option on a number question', () => ({ linkId: null, questionId: 'age', optionId: 'ios', min: null, max: null, cap: 5 })],
		['a number quota without a range', () => ({ linkId: null, questionId: 'age', optionId: null, min: null, max: null, cap: 5 })],
		['a cap of 0', () => optionQuota('ios', 0)],
		['a fractional cap', () => optionQuota('ios', 1.5)],
		['another project’s link', () => optionQuota('ios', 5, 'not-a-link-of-this-project')],
		['an unknown field', () => ({ ...optionQuota('ios', 5), colour: 'red' })]
	];
	for (const [name, quota] of BAD) {
		it(`refuses ${name} with a 4xx and keeps the saved quotas`, async () => {
			const { owner, project, links } = await setUp({ kind: 'public', maxUses: 5 });
			await saveScreener(owner, project.id);
			await saveQuotas(owner, project.id, [optionQuota('android', 3)]);
			const refused = await saveQuotas(owner, project.id, [quota(links[0]!.id)]);
			expect(refused.status).toBeGreaterThanOrEqual(400);
			expect(refused.status).toBeLessThan(500);
			const listed = await callJson<ProjectQuotas>(`/api/projects/${project.id}/quotas`, { as: owner.as });
			expect(listed.body.quotas).toMatchObject([{ optionId: 'android', cap: 3 }]);
		});
	}

	it('refuses two quotas on one segment', async () => {
		const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
		await saveScreener(owner, project.id);
		const refused = await saveQuotas(owner, project.id, [optionQuota('ios', 5), optionQuota('ios', 6)]);
		expect(refused.status).toBe(422);
	});

	it('refuses a link of another project of the same workspace', async () => {
		const { owner, project } = await setUp({ kind: 'public', maxUses: 5 });
		const other = await createProject(owner, { name: 'Other' });
		await saveScreener(owner, other.id);
		await saveScreener(owner, project.id);
		const { links } = await setUp({ kind: 'public', maxUses: 5 });
		const refused = await saveQuotas(owner, other.id, [optionQuota('ios', 5, links[0]!.id)]);
		expect(refused.status).toBe(422);
	});
});
