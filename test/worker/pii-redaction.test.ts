import { env } from 'cloudflare:workers';
import { describe, expect, inject, it, vi } from 'vitest';
import type { ProjectPrivacy } from '../../worker/contracts/privacy';
import type { RecordDetail, TranscriptTurn } from '../../worker/contracts/records';
import type { ReportDetail } from '../../worker/contracts/reports';
import { createDatabase } from '../../worker/db/client';
import { projectPrefix } from '../../worker/lib/storage-keys';
import type { Principal } from '../../worker/lib/principal';
import { readOriginal } from '../../worker/services/privacy';
import { uploadRecord } from '../../worker/services/records';
import { createRecordReport } from '../../worker/services/reports';
import type { ChatRequest } from '../fakes/openai-rest-requests';
import { call, callJson, signUp, type TestUser } from './helpers/api';
import { join, respondent, setUp, type Setup } from './helpers/interview';
import { asBrowser, running, turnSeen, watch, welcomeOf } from './helpers/observer';
import { addMember, createProject } from './helpers/workspace';
import { completeInterview, runJobs, withVars } from './records-fixtures';

/**
 * Invariant 21: with redaction on, nothing unredacted reaches R2, a report prompt, an observer or an
 * export. The respondent's own address is redacted whatever the setting; originals, when kept, are
 * sealed and only owners and admins read or export them.
 */

const PHONE = '+1 415-555-0132';
const CARD = '4111 1111 1111 1111';
const SAID = `Call me on ${PHONE}, my card is ${CARD} and I live at 221B Baker Street.`;
const REDACTED = 'Call me on [phone], my card is [card] and I live at [address].';

const REST_URL = inject('openaiRestUrl');
const REST_KEY = inject('openaiRestKey');
const CONTROL = REST_URL.replace(/\/v1$/, '');
const noQueue = { send: async () => undefined } as unknown as Queue;

const privacy = (user: TestUser, projectId: string, json: unknown) =>
	callJson<ProjectPrivacy & { error?: { code: string } }>(`/api/projects/${projectId}/privacy`, { method: 'PATCH', json, as: user.as });

async function recordRow(recordId: string) {
	return (await env.DB.prepare('select * from record where id = ?').bind(recordId).first<Record<string, unknown>>())!;
}

async function r2Text(key: string): Promise<string> {
	return new TextDecoder().decode(await (await env.FILES.get(key))!.arrayBuffer());
}

/** Every object the project holds in R2, as raw bytes decoded: what an operator reading the bucket would see. */
async function everythingStored(user: TestUser, projectId: string): Promise<string> {
	const listed = await env.FILES.list({ prefix: projectPrefix(user.me.workspace.id, projectId) });
	const texts = await Promise.all(listed.objects.map((object) => r2Text(object.key)));
	return texts.join('\n');
}

const transcriptOf = async (user: TestUser, recordId: string, query = '') =>
	callJson<TranscriptTurn[]>(`/api/records/${recordId}/transcript?format=json${query}`, { as: user.as });

async function interviewWith(setup: Setup, answers: string[], email = respondent()) {
	const recordId = await completeInterview(setup, answers, { email });
	return { recordId, email };
}

describe('live turns', () => {
	it('reach observers redacted while the respondent sees their own words, and the welcome is redacted too', async () => {
		const setup = await setUp();
		const email = respondent('live');
		const live = await running(setup.links[0]!.token, email);
		const observed = await watch(live.interviewId, asBrowser(setup.owner));
		live.socket.send(JSON.stringify({ type: 'text', content: `${SAID} Write to ${email}.` }));
		const seen = await turnSeen(observed, (turn) => turn.role === 'respondent');
		expect(seen.text).toBe(`${REDACTED} Write to [email].`);
		const own = await live.waitFor((all) => all.find((message) => message.type === 'turn' && message.role === 'respondent'));
		expect(own).toMatchObject({ text: `${SAID} Write to ${email}.` });
		const late = await watch(live.interviewId, asBrowser(setup.owner));
		const transcript = welcomeOf(late.first)
			.transcript.map((turn) => turn.text)
			.join('\n');
		expect(transcript).toContain(REDACTED);
		expect(transcript).not.toContain(PHONE);
		expect(transcript).not.toContain(email);
		live.socket.send(JSON.stringify({ type: 'leave' }));
		await live.next('ended');
	});
});

describe('completed interviews', () => {
	it('store only the redacted transcript in R2, and the record lists the passes that ran', async () => {
		const setup = await setUp();
		const email = respondent('stored');
		const { recordId } = await interviewWith(setup, [SAID, `My address is ${email.replace('@', ' at ').replace(/\./g, ' dot ')}.`], email);
		const row = await recordRow(recordId);
		const stored = await r2Text(String(row.transcript_key));
		expect(stored).toContain(REDACTED);
		for (const secret of [PHONE, CARD, '221B Baker', email, email.split('@')[0]!]) expect(stored).not.toContain(secret);
		const detail = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as })).body;
		// The local provider has no language model, so the name pass did not run, and the record says so.
		expect(detail.redaction).toEqual({ passes: ['respondent_email', 'patterns'], originalKept: false });
		expect((await transcriptOf(setup.owner, recordId)).body.map((turn) => turn.text)).toContain(REDACTED);
		expect((await transcriptOf(setup.owner, recordId, '&original=true')).status).toBe(404);
	});

	it('keep the text as said with redaction off, except the respondent’s own address', async () => {
		const setup = await setUp();
		expect((await privacy(setup.owner, setup.project.id, { redactPersonalData: false })).body).toMatchObject({ redactPersonalData: false });
		const email = respondent('off');
		const { recordId } = await interviewWith(setup, [`${SAID} Reach me at ${email.toUpperCase()}.`], email);
		const stored = await r2Text(String((await recordRow(recordId)).transcript_key));
		expect(stored).toContain(SAID);
		expect(stored).toContain('Reach me at [email].');
		expect(stored.toLowerCase()).not.toContain(`at ${email}`);
		const detail = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: setup.owner.as })).body;
		expect(detail.redaction).toEqual({ passes: ['respondent_email'], originalKept: false });
	});
});

describe('kept originals', () => {
	it('are sealed in storage, readable and exportable by owners and admins on request, and refused to members', async () => {
		const setup = await setUp();
		const admin = await addMember(setup.owner, 'admin');
		const member = await addMember(setup.owner, 'member');
		expect((await privacy(member, setup.project.id, { keepOriginal: true })).status).toBe(403);
		const saved = await privacy(admin, setup.project.id, { keepOriginal: true });
		expect(saved.body).toEqual({ redactPersonalData: true, keepOriginal: true, canManageOriginals: true });
		const { recordId } = await interviewWith(setup, [SAID]);

		const row = await recordRow(recordId);
		const raw = await everythingStored(setup.owner, setup.project.id);
		const d1 = JSON.stringify(row);
		for (const secret of [PHONE, CARD, '221B Baker']) {
			expect(raw).not.toContain(secret);
			expect(d1).not.toContain(secret);
		}
		expect(JSON.parse(String(row.redaction)).originalKey).toMatch(/\.original$/);

		const original = await transcriptOf(setup.owner, recordId, '&original=true');
		expect(original.status).toBe(200);
		expect(original.body.map((turn) => turn.text)).toContain(SAID);
		expect((await transcriptOf(admin, recordId, '&original=true')).body.map((turn) => turn.text)).toContain(SAID);
		const refused = await call(`/api/records/${recordId}/transcript?format=md&original=true`, { as: member.as });
		expect(refused.status).toBe(403);
		expect(await refused.text()).not.toContain(PHONE);
		expect((await transcriptOf(member, recordId)).body.map((turn) => turn.text)).toContain(REDACTED);

		const detailFor = async (user: TestUser) => (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: user.as })).body.redaction;
		expect(await detailFor(setup.owner)).toEqual({ passes: ['respondent_email', 'patterns'], originalKept: true });
		expect(await detailFor(member)).toEqual({ passes: ['respondent_email', 'patterns'], originalKept: false });

		const exportZip = (user: TestUser, original: boolean) =>
			call(`/api/projects/${setup.project.id}/records/export?format=zip${original ? '&original=true' : ''}`, { as: user.as });
		const zipText = async (response: Response) => new TextDecoder('latin1').decode(await response.arrayBuffer());
		const redactedZip = await exportZip(setup.owner, false);
		expect(redactedZip.status).toBe(200);
		const redactedText = await zipText(redactedZip);
		expect(redactedText).toContain('[phone]');
		expect(redactedText).not.toContain(PHONE);
		const originalZip = await exportZip(setup.owner, true);
		expect(originalZip.status).toBe(200);
		expect(await zipText(originalZip)).toContain(PHONE);
		expect((await exportZip(member, true)).status).toBe(403);
		expect((await call(`/api/projects/${setup.project.id}/records/export?format=csv&original=true`, { as: member.as })).status).toBe(403);
		expect(await zipText(await exportZip(member, false))).not.toContain(PHONE);
		for (const path of [
			`/api/records/${recordId}/transcript?original=yes`,
			`/api/projects/${setup.project.id}/records/export?format=zip&original=1`
		]) {
			const bad = await callJson<{ error: { code: string } }>(path, { as: setup.owner.as });
			expect(bad.status, path).toBe(400);
			expect(bad.body.error.code).toBe('invalid_request');
		}
	});

	it('cannot be opened with another workspace’s key', async () => {
		const setup = await setUp();
		await privacy(setup.owner, setup.project.id, { keepOriginal: true });
		const { recordId } = await interviewWith(setup, [SAID]);
		const key = JSON.parse(String((await recordRow(recordId)).redaction)).originalKey as string;
		const sealed = await (await env.FILES.get(key))!.arrayBuffer();
		const stranger = await signUp('stranger');
		const strangerProject = await createProject(stranger);
		const foreignKey = `${projectPrefix(stranger.me.workspace.id, strangerProject.id)}forged.original`;
		await env.FILES.put(foreignKey, sealed);
		expect(await readOriginal(env, env.FILES, stranger.me.workspace.id, foreignKey)).toBeNull();
		expect(await readOriginal(env, env.FILES, setup.owner.me.workspace.id, key)).toMatchObject({ turns: expect.any(Array) });
	});
});

describe('the privacy settings API', () => {
	it('defaults to redaction on for a new project, and refuses bad input without changing anything', async () => {
		const owner = await signUp('privacy-api');
		const project = await createProject(owner);
		const read = await callJson<ProjectPrivacy>(`/api/projects/${project.id}/privacy`, { as: owner.as });
		expect(read.body).toEqual({ redactPersonalData: true, keepOriginal: false, canManageOriginals: true });
		for (const body of [{}, { redactPersonalData: 'no' }, { keepOriginal: 1 }, { redactPersonalData: false, extra: true }]) {
			const refused = await privacy(owner, project.id, body);
			expect(refused.status, JSON.stringify(body)).toBe(400);
			expect(refused.body.error).toMatchObject({ code: expect.any(String) });
		}
		const stranger = await signUp('privacy-stranger');
		expect((await privacy(stranger, project.id, { redactPersonalData: false })).status).toBe(404);
		expect((await callJson(`/api/projects/${project.id}/privacy`, { as: stranger.as })).status).toBe(404);
		expect((await callJson<ProjectPrivacy>(`/api/projects/${project.id}/privacy`, { as: owner.as })).body).toMatchObject({
			redactPersonalData: true,
			keepOriginal: false
		});
		const member = await addMember(owner, 'member');
		const byMember = await privacy(member, project.id, { redactPersonalData: false });
		expect(byMember.body).toEqual({ redactPersonalData: false, keepOriginal: false, canManageOriginals: false });
	});
});

function principalOf(user: TestUser): Principal {
	return { userId: user.me.user.id, workspaceId: user.me.workspace.id, role: 'owner', method: 'session' };
}

/** A text upload through the upload service with OpenAI as the workspace's provider, against the REST fake. */
async function uploadOnOpenAi(user: TestUser, projectId: string, vars: Record<string, string>, text: string): Promise<RecordDetail> {
	const form = new FormData();
	form.append('file', new File([text], 'call.txt'));
	const request = new Request('http://upload.test/', { method: 'POST', body: form });
	return uploadRecord(withVars(vars), createDatabase(env.DB), principalOf(user), projectId, {
		stream: request.body,
		contentType: request.headers.get('Content-Type') ?? ''
	});
}

describe('uploads and reports on OpenAI', () => {
	it('run the name pass through the provider, and no report prompt the model receives holds personal data', async () => {
		const key = `${REST_KEY}-${crypto.randomUUID().slice(0, 8)}`;
		const vars = { AI_PROVIDER: 'openai', OPENAI_API_KEY: key, OPENAI_API_BASE_URL: REST_URL, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
		const owner = await signUp('pii-openai');
		const project = await createProject(owner);
		const transcript = [
			'Interviewer: Who helped you get started?',
			`Respondent: Anna Lee did, you can call her on ${PHONE} or write to anna.lee@example.com.`,
			'Respondent: Boris sent me https://shop.example.com/orders?token=8f2k3j4h5g6 last week.'
		].join('\n');
		const record = await uploadOnOpenAi(owner, project.id, vars, transcript);
		expect(record.redaction).toEqual({ passes: ['patterns', 'names'], originalKept: false });
		const stored = await r2Text(String((await recordRow(record.id)).transcript_key));
		expect(stored).toContain('[name] did, you can call her on [phone] or write to [email].');
		expect(stored).toContain('[name] sent me [url] last week.');

		const queued = await createRecordReport({ JOBS: noQueue, ...vars }, createDatabase(env.DB), principalOf(owner), record.id);
		await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(vars));
		expect((await callJson<ReportDetail>(`/api/reports/${queued.id}`, { as: owner.as })).body.status).toBe('ready');

		const chats = ((await (await fetch(`${CONTROL}/__chats`)).json()) as ChatRequest[]).filter((chat) => chat.key === key);
		const namePass = chats.filter((chat) => chat.responseFormat.json_schema.name === 'person_names');
		const reports = chats.filter((chat) => chat.responseFormat.json_schema.name !== 'person_names');
		expect(namePass).toHaveLength(1);
		expect(reports).toHaveLength(1);
		// The name pass sees the text after the patterns: the model never receives the phone, address or link.
		const namePrompt = namePass[0]!.messages.map((message) => message.content).join('\n');
		for (const secret of [PHONE, 'anna.lee@example.com', 'token=8f2k']) expect(namePrompt).not.toContain(secret);
		const reportPrompt = reports[0]!.messages.map((message) => message.content).join('\n');
		expect(reportPrompt).toContain('[phone]');
		for (const secret of [PHONE, 'anna.lee@example.com', 'token=8f2k', 'Anna', 'Boris']) expect(reportPrompt).not.toContain(secret);
	});
});

describe('the name pass on a long transcript', () => {
	it('asks the model part by part, so names late in a long interview are found too', async () => {
		const key = `${REST_KEY}-${crypto.randomUUID().slice(0, 8)}`;
		const vars = { AI_PROVIDER: 'openai', OPENAI_API_KEY: key, OPENAI_API_BASE_URL: REST_URL, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
		const owner = await signUp('pii-long');
		const project = await createProject(owner);
		const filler = Array.from({ length: 800 }, (_, index) => `Respondent: Answer ${index} is about our weekly planning routine and tools.`);
		const text = ['Respondent: Anna set it up.', ...filler, 'Respondent: Boris took over later.'].join('\n');
		const record = await uploadOnOpenAi(owner, project.id, vars, text);
		expect(record.redaction?.passes).toContain('names');
		const chats = ((await (await fetch(`${CONTROL}/__chats`)).json()) as ChatRequest[]).filter((chat) => chat.key === key);
		expect(chats.length).toBeGreaterThanOrEqual(2);
		const stored = await r2Text(String((await recordRow(record.id)).transcript_key));
		expect(stored).toContain('[name] set it up.');
		expect(stored).toContain('[name] took over later.');
	});
});

describe('records stored before redaction existed', () => {
	it('are redacted as they are read: on the record, in exports and in report prompts', async () => {
		const key = `${REST_KEY}-${crypto.randomUUID().slice(0, 8)}`;
		const vars = { AI_PROVIDER: 'openai', OPENAI_API_KEY: key, OPENAI_API_BASE_URL: REST_URL, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
		const owner = await signUp('pii-legacy');
		const project = await createProject(owner);
		const recordId = crypto.randomUUID();
		const transcriptKey = `${projectPrefix(owner.me.workspace.id, project.id)}uploads/${recordId}/transcript.json`;
		const legacy = {
			respondentEmail: 'old@example.com',
			startedAt: Date.now(),
			turns: [{ id: 't1', role: 'respondent', text: `${SAID} Mail old@example.com.`, at: Date.now() }]
		};
		await env.FILES.put(transcriptKey, JSON.stringify(legacy));
		await env.DB.prepare(
			"insert into record (id, workspace_id, project_id, source, title, respondent_email, status, transcript_key, created_at) values (?, ?, ?, 'upload', 'old', 'old@example.com', 'ready', ?, ?)"
		)
			.bind(recordId, owner.me.workspace.id, project.id, transcriptKey, Date.now())
			.run();

		expect((await transcriptOf(owner, recordId)).body.map((turn) => turn.text)).toEqual([`${REDACTED} Mail [email].`]);
		const zip = new TextDecoder('latin1').decode(
			await (await call(`/api/projects/${project.id}/records/export?format=zip`, { as: owner.as })).arrayBuffer()
		);
		expect(zip).toContain('[phone]');
		expect(zip).not.toContain(PHONE);
		const queued = await createRecordReport({ JOBS: noQueue, ...vars }, createDatabase(env.DB), principalOf(owner), recordId);
		await runJobs([{ type: 'report.generate', workspaceId: owner.me.workspace.id, reportId: queued.id }], withVars(vars));
		const chats = ((await (await fetch(`${CONTROL}/__chats`)).json()) as ChatRequest[]).filter((chat) => chat.key === key);
		expect(chats).toHaveLength(1);
		const prompt = chats[0]!.messages.map((message) => message.content).join('\n');
		for (const secret of [PHONE, CARD, 'old@example.com']) expect(prompt).not.toContain(secret);

		await privacy(owner, project.id, { redactPersonalData: false });
		expect((await transcriptOf(owner, recordId)).body.map((turn) => turn.text)).toEqual([`${SAID} Mail old@example.com.`]);
	});
});

describe('uploaded recordings', () => {
	it('are redacted when transcribed, names included through Workers AI', async () => {
		const owner = await signUp('pii-transcribe');
		const project = await createProject(owner);
		const recordId = crypto.randomUUID();
		const prefix = `${projectPrefix(owner.me.workspace.id, project.id)}uploads/${recordId}/`;
		const header = new Uint8Array(44);
		new TextEncoder().encodeInto('RIFF', header);
		await env.FILES.put(`${prefix}audio.wav`, header);
		await env.DB.prepare(
			"insert into record (id, workspace_id, project_id, source, title, status, audio_key, created_at) values (?, ?, ?, 'upload', 'voice', 'processing', ?, ?)"
		)
			.bind(recordId, owner.me.workspace.id, project.id, `${prefix}audio.wav`, Date.now())
			.run();
		const llmPrompts: string[] = [];
		const run = vi.spyOn(env.AI, 'run').mockImplementation((async (model: string, inputs: { messages?: { content: string }[] }) => {
			if (model === '@cf/meta/llama-3.3-70b-instruct-fp8-fast') {
				const prompt = inputs.messages!.at(-1)!.content;
				llmPrompts.push(prompt);
				return { response: { names: prompt.includes('Мария') ? ['Мария'] : [] } };
			}
			return {
				text: 'Меня зовут Мария. Мой телефон плюс семь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь.',
				segments: [
					{ start: 0, end: 1.2, text: ' Меня зовут Мария.' },
					{ start: 1.5, end: 6, text: ' Мой телефон плюс семь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь.' }
				]
			};
		}) as never);
		try {
			await runJobs([{ type: 'record.transcribe', workspaceId: owner.me.workspace.id, recordId }], withVars({ AI_PROVIDER: 'workers-ai' }));
		} finally {
			run.mockRestore();
		}
		const texts = (await transcriptOf(owner, recordId)).body.map((turn) => turn.text);
		expect(texts).toEqual(['Меня зовут [name].', 'Мой телефон [phone].']);
		expect(llmPrompts).toHaveLength(1);
		expect(llmPrompts[0]).not.toContain('девятьсот');
		const detail = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: owner.as })).body;
		expect(detail.redaction).toEqual({ passes: ['patterns', 'names'], originalKept: false });
		expect(await everythingStored(owner, project.id)).not.toContain('Мария');
	});
});

describe('the respondent’s own address', () => {
	it('is redacted from a multi-use link’s transcript too, with the setting off', async () => {
		const setup = await setUp({ kind: 'public', count: 1, maxUses: 0 });
		await privacy(setup.owner, setup.project.id, { redactPersonalData: false });
		const email = respondent('public');
		const joined = await join(setup.links[0]!.token, { email });
		expect(joined.first.type).toBe('welcome');
		joined.socket.send(JSON.stringify({ type: 'text', content: `It is ${email}, thanks.` }));
		await joined.waitFor(
			(all) => all.filter((message) => message.type === 'turn' && message.role === 'interviewer').length >= 2 || undefined
		);
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');
		const row = await env.DB.prepare('select transcript_key from record where link_id = ?')
			.bind(setup.links[0]!.id)
			.first<{ transcript_key: string }>();
		const stored = await r2Text(row!.transcript_key);
		expect(stored).toContain('It is [email], thanks.');
		expect(stored).not.toContain(`It is ${email}`);
	});
});
