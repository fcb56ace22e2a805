import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RecordDetail, RecordSummary, TranscriptTurn } from '../../worker/contracts/records';
import { parseTranscriptText } from '../../worker/services/records';
import { call, callJson } from './helpers/api';
import { respondent, setUp } from './helpers/interview';
import { completeInterview, completedRecord } from './records-fixtures';

describe('records of completed interviews', () => {
	it('lists a completed interview as a record with its link, duration, status and word count', async () => {
		const { owner, project, links, recordId } = await completedRecord();
		const list = await callJson<{ records: RecordSummary[] }>(`/api/projects/${project.id}/records`, { as: owner.as });
		expect(list.status).toBe(200);
		expect(list.body.records).toHaveLength(1);
		expect(list.body.records[0]).toMatchObject({
			id: recordId,
			source: 'interview',
			status: 'ready',
			linkId: links[0]!.id,
			linkKind: 'single'
		});
		expect(list.body.records[0]!.wordCount).toBeGreaterThan(40);
		const detail = await callJson<RecordDetail>(`/api/records/${recordId}`, { as: owner.as });
		expect(detail.body).toMatchObject({ provider: 'local', endReason: 'completed', notes: '', tags: [] });
		expect(detail.body.consentAt).not.toBeNull();
		expect(detail.body.chargedTokens).toBeGreaterThanOrEqual(0);
	});

	it('searches and filters by link, private-link name and date', async () => {
		const setup = await setUp({ kind: 'private', names: ['Student Group A', 'Student Group B'] });
		const email = respondent('searchable');
		const first = await completeInterview(setup, ['Short answer about my role as a teacher here.'], { email });
		const second = await completeInterview({ ...setup, links: [setup.links[1]!] }, ['I am a student in the evening classes.']);
		const url = (query: string) => `/api/projects/${setup.project.id}/records?${query}`;
		const ids = async (query: string) =>
			(await callJson<{ records: RecordSummary[] }>(url(query), { as: setup.owner.as })).body.records.map((row) => row.id);
		expect(await ids(`q=${encodeURIComponent(email.slice(0, 14))}`)).toEqual([first]);
		expect(await ids(`linkId=${setup.links[1]!.id}`)).toEqual([second]);
		expect(await ids('linkName=group%20b')).toEqual([second]);
		const today = new Date().toISOString().slice(0, 10);
		expect((await ids(`from=${today}&to=${today}`)).sort()).toEqual([first, second].sort());
		expect(await ids('to=2000-01-01')).toEqual([]);
		expect((await callJson(url('from=yesterday'), { as: setup.owner.as })).status).toBe(400);
	});

	it('saves notes and tags, and delete removes the row and its files', async () => {
		const { owner, recordId } = await completedRecord();
		const patched = await callJson<RecordDetail>(`/api/records/${recordId}`, {
			method: 'PATCH',
			json: { notes: 'Strong onboarding pain.', tags: ['pain', 'pain', 'docs'] },
			as: owner.as
		});
		expect(patched.body).toMatchObject({ notes: 'Strong onboarding pain.', tags: ['pain', 'docs'] });
		expect((await callJson(`/api/records/${recordId}`, { method: 'PATCH', json: {}, as: owner.as })).status).toBe(400);
		const row = await env.DB.prepare('select transcript_key, audio_key from record where id = ?')
			.bind(recordId)
			.first<{ transcript_key: string; audio_key: string }>();
		expect(await env.FILES.head(row!.transcript_key)).not.toBeNull();
		expect((await call(`/api/records/${recordId}`, { method: 'DELETE', as: owner.as })).status).toBe(204);
		expect((await call(`/api/records/${recordId}`, { as: owner.as })).status).toBe(404);
		expect(await env.FILES.head(row!.transcript_key)).toBeNull();
		expect(await env.FILES.head(row!.audio_key)).toBeNull();
	});
});

describe('transcript and audio exports', () => {
	it('exports the transcript in every format, round-tripped', async () => {
		const { owner, recordId } = await completedRecord();
		const row = await env.DB.prepare('select transcript_key from record where id = ?').bind(recordId).first<{ transcript_key: string }>();
		const stored = await (await env.FILES.get(row!.transcript_key))!.json<{ startedAt: number; turns: TranscriptTurn[] }>();

		const json = await call(`/api/records/${recordId}/transcript?format=json`, { as: owner.as });
		expect(json.headers.get('Content-Type')).toContain('application/json');
		expect(await json.json()).toEqual(stored.turns);

		const vtt = await call(`/api/records/${recordId}/transcript?format=vtt`, { as: owner.as });
		expect(vtt.headers.get('Content-Type')).toContain('text/vtt');
		const cues = parseTranscriptText(await vtt.text(), 'vtt');
		expect(cues.map((cue) => [cue.role, cue.text])).toEqual(stored.turns.map((turn) => [turn.role, turn.text]));
		cues.forEach((cue, index) => {
			expect(cue.startMs).toBe(Math.max(0, stored.turns[index]!.at - stored.startedAt));
			expect(cue.endMs!).toBeGreaterThan(cue.startMs!);
			if (index > 0) expect(cue.startMs!).toBeGreaterThanOrEqual(cues[index - 1]!.startMs!);
		});

		const md = await (await call(`/api/records/${recordId}/transcript?format=md`, { as: owner.as })).text();
		expect(parseTranscriptText(md, 'md').map((turn) => turn.text)).toEqual(stored.turns.map((turn) => turn.text));
		const txt = await (await call(`/api/records/${recordId}/transcript?format=txt`, { as: owner.as })).text();
		const fromTxt = parseTranscriptText(txt, 'txt').filter((turn) => turn.speaker);
		expect(fromTxt.map((turn) => [turn.role, turn.text])).toEqual(stored.turns.map((turn) => [turn.role, turn.text]));
		expect((await call(`/api/records/${recordId}/transcript?format=pdf`, { as: owner.as })).status).toBe(400);
	});

	it('serves the audio as a WAV with byte ranges for seeking', async () => {
		const setup = await setUp();
		const recordId = await completeInterview(setup, ['I run the support desk.'], { voice: true });
		const whole = await call(`/api/records/${recordId}/audio`, { as: setup.owner.as });
		expect(whole.status).toBe(200);
		expect(whole.headers.get('Content-Type')).toBe('audio/wav');
		expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
		const bytes = new Uint8Array(await whole.arrayBuffer());
		expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
		const part = await call(`/api/records/${recordId}/audio`, { headers: { Range: 'bytes=44-143' }, as: setup.owner.as });
		expect(part.status).toBe(206);
		expect(part.headers.get('Content-Range')).toBe(`bytes 44-143/${bytes.byteLength}`);
		expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(44, 144));
		const tail = await call(`/api/records/${recordId}/audio`, { headers: { Range: 'bytes=-10' }, as: setup.owner.as });
		expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.byteLength - 10));
		const beyond = await call(`/api/records/${recordId}/audio`, { headers: { Range: `bytes=${bytes.byteLength}-` }, as: setup.owner.as });
		expect(beyond.status).toBe(416);
	});

	it('exports all records as CSV and as a ZIP of Markdown transcripts', async () => {
		const { owner, project, recordId } = await completedRecord();
		const csv = await call(`/api/projects/${project.id}/records/export?format=csv`, { as: owner.as });
		expect(csv.headers.get('Content-Type')).toContain('text/csv');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines[0]).toBe(
			'id,title,respondentEmail,source,link,linkKind,status,createdAt,durationSeconds,wordCount,turnCount,tags,quality,qualityReasons'
		);
		expect(lines).toHaveLength(2);
		expect(lines[1]!.startsWith(recordId)).toBe(true);
		// The local interviewer covers the guide in seconds of a 10-minute plan: a speed-through to review.
		expect(lines[1]!.endsWith(',review,speed_through')).toBe(true);
		const zipped = new Uint8Array(
			await (await call(`/api/projects/${project.id}/records/export?format=zip`, { as: owner.as })).arrayBuffer()
		);
		const view = new DataView(zipped.buffer);
		expect(view.getUint32(0, true)).toBe(0x04034b50);
		const nameLength = view.getUint16(26, true);
		const size = view.getUint32(18, true);
		const name = new TextDecoder().decode(zipped.subarray(30, 30 + nameLength));
		const body = new TextDecoder().decode(zipped.subarray(30 + nameLength, 30 + nameLength + size));
		expect(name.endsWith('.md')).toBe(true);
		expect(body).toContain('**Interviewer**');
		expect(view.getUint32(zipped.byteLength - 22, true)).toBe(0x06054b50);
	});
});
