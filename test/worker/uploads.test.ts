import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { RecordDetail, TranscriptTurn } from '../../worker/contracts/records';
import { projectPrefix } from '../../worker/lib/storage-keys';
import { wavHeader } from '../../worker/lib/wav';
import { call, callJson, signUp } from './helpers/api';
import { createProject } from './helpers/workspace';
import { r2Keys, runJobs, upload, uploadText, withVars } from './records-fixtures';

async function turnsOf(user: Awaited<ReturnType<typeof signUp>>, recordId: string) {
	return (await callJson<TranscriptTurn[]>(`/api/records/${recordId}/transcript?format=json`, { as: user.as })).body;
}
const shape = (turns: TranscriptTurn[]) => turns.map((turn) => ({ role: turn.role, speaker: turn.speaker, text: turn.text }));

function wav(seconds: number): Uint8Array<ArrayBuffer> {
	const data = seconds * 24_000 * 2;
	const bytes = new Uint8Array(44 + data);
	bytes.set(wavHeader(data), 0);
	return bytes;
}

describe('uploading transcripts', () => {
	it('reads speakers from plain text (Interviewer/Respondent, Q/A, names)', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const labelled = await uploadText(
			user,
			project.id,
			'call.txt',
			'Interviewer: What is your role?\nRespondent: I run the clinic\nand manage six nurses.\n\nInterviewer: Thanks.\n'
		);
		expect(labelled).toMatchObject({ source: 'upload', status: 'ready', title: 'call', turnCount: 3 });
		expect(shape(await turnsOf(user, labelled.id))).toEqual([
			{ role: 'interviewer', speaker: 'Interviewer', text: 'What is your role?' },
			{ role: 'respondent', speaker: 'Respondent', text: 'I run the clinic and manage six nurses.' },
			{ role: 'interviewer', speaker: 'Interviewer', text: 'Thanks.' }
		]);
		const qa = await uploadText(
			user,
			project.id,
			'qa.md',
			'# Interview notes\n\n**Q:** Which tools do you use?\n\n**A:** Mostly spreadsheets.\n'
		);
		expect(shape(await turnsOf(user, qa.id))).toEqual([
			{ role: 'interviewer', speaker: 'Q', text: 'Which tools do you use?' },
			{ role: 'respondent', speaker: 'A', text: 'Mostly spreadsheets.' }
		]);
		const named = await uploadText(
			user,
			project.id,
			'named.txt',
			'Maria: How did your first week go?\nJohn: Rough, honestly.\nMaria: Why?\nJohn: No laptop.'
		);
		expect(shape(await turnsOf(user, named.id)).map((turn) => `${turn.role}:${turn.speaker}`)).toEqual([
			'interviewer:Maria',
			'respondent:John',
			'interviewer:Maria',
			'respondent:John'
		]);
	});

	it('reads WebVTT voice tags and SRT cues with their times', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const vtt = await uploadText(
			user,
			project.id,
			'session.vtt',
			'WEBVTT\n\nNOTE exported\n\n1\n00:00:01.000 --> 00:00:03.500\n<v Interviewer>What is your role?</v>\n\n2\n00:00:04.000 --> 00:00:09.000\n<v Dana Smith>I am a &lt;senior&gt; nurse.\n'
		);
		const vttTurns = await turnsOf(user, vtt.id);
		expect(shape(vttTurns)).toEqual([
			{ role: 'interviewer', speaker: 'Interviewer', text: 'What is your role?' },
			{ role: 'respondent', speaker: 'Dana Smith', text: 'I am a <senior> nurse.' }
		]);
		expect(vttTurns.map((turn) => [turn.startMs, turn.endMs])).toEqual([
			[1000, 3500],
			[4000, 9000]
		]);
		expect(vtt.durationMs).toBe(9000);
		const srt = await uploadText(
			user,
			project.id,
			'session.srt',
			'1\n00:00:00,500 --> 00:00:02,000\nQ: Tools?\n\n2\n00:00:02,500 --> 00:00:05,000\nA: Excel and email.\n'
		);
		const srtTurns = await turnsOf(user, srt.id);
		expect(shape(srtTurns)).toEqual([
			{ role: 'interviewer', speaker: 'Q', text: 'Tools?' },
			{ role: 'respondent', speaker: 'A', text: 'Excel and email.' }
		]);
		expect(srtTurns[1]!.startMs).toBe(2500);
	});

	it('accepts a transcript larger than the JSON body limit, up to 2 MB', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const line = 'Respondent: the onboarding checklist helped me a lot during the first days.\n';
		const text = line.repeat(Math.ceil((1.5 * 1024 * 1024) / line.length));
		expect(text.length).toBeGreaterThan(Number(env.MAX_BODY_BYTES));
		const created = await uploadText(user, project.id, 'long.txt', text);
		expect(created.turnCount).toBe(Math.ceil((1.5 * 1024 * 1024) / line.length));
	});

	it('keeps a custom title', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const response = await upload(user, project.id, 'x.txt', 'Respondent: hello there', { title: 'Clinic visit, March' });
		expect(((await response.json()) as RecordDetail).title).toBe('Clinic visit, March');
	});
});

describe('uploading recordings', () => {
	it('stores a WAV and marks it untranscribed in local mode, playable as audio', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const response = await upload(user, project.id, 'voice.wav', wav(2));
		expect(response.status).toBe(201);
		const created = (await response.json()) as RecordDetail;
		expect(created).toMatchObject({ status: 'untranscribed', hasAudio: true, durationMs: 2000 });
		const audio = await call(`/api/records/${created.id}/audio`, { as: user.as });
		expect(audio.headers.get('Content-Type')).toBe('audio/wav');
		expect((await audio.arrayBuffer()).byteLength).toBe(44 + 2 * 48_000);
	});

	it('transcribes a recording through Workers AI in a queued job', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const recordId = crypto.randomUUID();
		const prefix = `${projectPrefix(user.me.workspace.id, project.id)}uploads/${recordId}/`;
		await env.FILES.put(`${prefix}audio.wav`, wav(1));
		await env.DB.prepare(
			"insert into record (id, workspace_id, project_id, source, title, status, audio_key, created_at) values (?, ?, ?, 'upload', 'voice', 'processing', ?, ?)"
		)
			.bind(recordId, user.me.workspace.id, project.id, `${prefix}audio.wav`, Date.now())
			.run();
		const run = vi.spyOn(env.AI, 'run').mockResolvedValue({
			text: 'Hello. I use Excel.',
			segments: [
				{ start: 0, end: 1.2, text: ' Hello.' },
				{ start: 1.5, end: 3, text: ' I use Excel.' }
			]
		} as never);
		try {
			await runJobs([{ type: 'record.transcribe', workspaceId: user.me.workspace.id, recordId }], withVars({ AI_PROVIDER: 'workers-ai' }));
			expect(run).toHaveBeenCalledWith('@cf/openai/whisper-large-v3-turbo', expect.objectContaining({ audio: expect.any(String) }));
		} finally {
			run.mockRestore();
		}
		const detail = await callJson<RecordDetail>(`/api/records/${recordId}`, { as: user.as });
		expect(detail.body).toMatchObject({ status: 'ready', turnCount: 2, wordCount: 4, durationMs: 3000 });
		expect((await turnsOf(user, recordId)).map((turn) => [turn.text, turn.startMs])).toEqual([
			['Hello.', 0],
			['I use Excel.', 1500]
		]);
	});
});

describe('transcription through OpenAI', () => {
	it('sends the recording to the audio transcriptions endpoint at the configured base URL', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const recordId = crypto.randomUUID();
		const prefix = `${projectPrefix(user.me.workspace.id, project.id)}uploads/${recordId}/`;
		await env.FILES.put(`${prefix}audio.wav`, wav(1));
		await env.DB.prepare(
			"insert into record (id, workspace_id, project_id, source, title, status, audio_key, created_at) values (?, ?, ?, 'upload', 'voice', 'processing', ?, ?)"
		)
			.bind(recordId, user.me.workspace.id, project.id, `${prefix}audio.wav`, Date.now())
			.run();
		const real = globalThis.fetch;
		const seen: { url: string; model: unknown; file: unknown }[] = [];
		const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
			const url = input instanceof Request ? input.url : String(input);
			if (!url.startsWith('https://fake-openai.test/v1')) return real(input, init);
			const form = init?.body as FormData;
			seen.push({ url, model: form.get('model'), file: form.get('file') });
			return Response.json({ text: 'We ship weekly.', segments: [{ start: 0.5, end: 2, text: 'We ship weekly.' }] });
		});
		try {
			await runJobs(
				[{ type: 'record.transcribe', workspaceId: user.me.workspace.id, recordId }],
				withVars({ AI_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_API_BASE_URL: 'https://fake-openai.test/v1' })
			);
		} finally {
			spy.mockRestore();
		}
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({ url: 'https://fake-openai.test/v1/audio/transcriptions', model: 'whisper-1' });
		expect(seen[0]!.file).toBeInstanceOf(File);
		expect((await turnsOf(user, recordId)).map((turn) => [turn.role, turn.text, turn.startMs])).toEqual([
			['respondent', 'We ship weekly.', 500]
		]);
	});
});

describe('bad uploads get a 4xx and store nothing', () => {
	const cases: [string, string | Uint8Array<ArrayBuffer>, number, string][] = [
		['notes.pdf', '%PDF-1.7', 415, 'unsupported_media_type'],
		['noext', 'Interviewer: hi', 415, 'unsupported_media_type'],
		['empty.txt', '', 422, 'invalid_file'],
		['big.txt', `Respondent: ${'a'.repeat(2 * 1024 * 1024)}`, 413, 'payload_too_large'],
		['broken.vtt', 'WEBVTT\n\n00:00:01.000 --> nonsense\nhello\n', 422, 'invalid_file'],
		['headless.vtt', '00:00:01.000 --> 00:00:02.000\nhello\n', 422, 'invalid_file'],
		['binary.txt', new Uint8Array([0x49, 0x00, 0x01, 0x02]), 422, 'invalid_file'],
		['latin1.txt', new Uint8Array([0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9]), 422, 'invalid_file'],
		['fake.wav', 'RIFF but not really a wave file at all, just text', 422, 'invalid_file'],
		['blank.md', '\n\n   \n', 422, 'invalid_file']
	];

	it.each(cases)('%s → %i %s', async (name, content, status, code) => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const response = await upload(user, project.id, name, content);
		expect(response.status).toBe(status);
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
		const rows = await env.DB.prepare('select count(*) as n from record where project_id = ?').bind(project.id).first<{ n: number }>();
		expect(rows?.n).toBe(0);
		expect(await r2Keys(projectPrefix(user.me.workspace.id, project.id))).toEqual([]);
	});

	it('refuses an upload without a file field, and JSON bodies elsewhere are still required', async () => {
		const user = await signUp('uploader');
		const project = await createProject(user);
		const form = new FormData();
		form.append('title', 'no file');
		const response = await call(`/api/projects/${project.id}/records`, { method: 'POST', body: form, as: user.as });
		expect(response.status).toBe(400);
		const patch = await call(`/api/projects/${project.id}`, {
			method: 'PATCH',
			body: 'name=x',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			as: user.as
		});
		expect(patch.status).toBe(415);
	});
});
