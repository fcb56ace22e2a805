import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { RecordDetail, TranscriptTurn } from '../../worker/contracts/records';
import { projectPrefix } from '../../worker/lib/storage-keys';
import { wavHeader } from '../../worker/lib/wav';
import { createFakeWhisper } from '../fakes/ai-whisper';
import { BURSTS, burstPcm, burstStartMs, burstText } from '../fakes/tone-bursts';
import type { TranscriptionRequest } from '../fakes/openai-rest-requests';
import { call, callJson, signUp, type TestUser } from './helpers/api';
import { createProject } from './helpers/workspace';
import { r2Keys, runJobs } from './records-fixtures';

const REST_URL = inject('openaiRestUrl');
const REST_KEY = inject('openaiRestKey');

/** The recording: a 60 MB WAV of tone bursts, more than OpenAI takes in one request and than a Worker could base64 whole. */
const FILE_BYTES = 60 * 1024 * 1024;
const DATA_BYTES = FILE_BYTES - 44;
const DURATION_MS = Math.round((DATA_BYTES / 2 / BURSTS.sampleRate) * 1000);
/** What one piece may be (the Worker's own limit): far under OpenAI's 25 MiB, and cheap to hold a few copies of. */
const PIECE_BYTES = 4 * 1024 * 1024;
const BURST_COUNT = Math.ceil(DATA_BYTES / 2 / (((BURSTS.toneMs + BURSTS.gapMs) * BURSTS.sampleRate) / 1000));
const SLICE_SAMPLES = 16 * 1024;

afterEach(() => vi.restoreAllMocks());

/** The recording as a stream, generated a slice at a time as it is read: the test never holds it either. */
function recording(): ReadableStream<Uint8Array> {
	let sample = -1;
	const samples = DATA_BYTES / 2;
	return new ReadableStream({
		pull(controller) {
			if (sample === -1) {
				controller.enqueue(wavHeader(DATA_BYTES));
				sample = 0;
			} else if (sample < samples) {
				const count = Math.min(SLICE_SAMPLES, samples - sample);
				controller.enqueue(burstPcm(sample, count));
				sample += count;
			} else controller.close();
		}
	});
}

/** A multipart/form-data body around a file stream, as a browser sends it (no Content-Length: it streams). */
function multipart(boundary: string, name: string, file: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const parts = [
		encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: audio/wav\r\n\r\n`),
		file,
		encoder.encode(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nLong clinic visit\r\n--${boundary}--\r\n`)
	];
	return new ReadableStream({
		async pull(controller) {
			const next = parts[0];
			if (!next) return controller.close();
			if (next instanceof Uint8Array) {
				parts.shift();
				return controller.enqueue(next);
			}
			const reader = next.getReader();
			const { done, value } = await reader.read();
			reader.releaseLock();
			if (done) parts.shift();
			else controller.enqueue(value);
		}
	});
}

async function sha256(stream: ReadableStream<Uint8Array>): Promise<string> {
	const digest = new crypto.DigestStream('SHA-256');
	await stream.pipeTo(digest);
	return [...new Uint8Array(await digest.digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** R2 reads as the job makes them: every range it asks for, so the test sees it never reads the recording whole. */
function watchedFiles() {
	const reads: number[] = [];
	const bucket = new Proxy(env.FILES, {
		get(target, key) {
			const value = Reflect.get(target, key);
			if (key !== 'get') return typeof value === 'function' ? value.bind(target) : value;
			return async (name: string, options?: R2GetOptions) => {
				const object = await target.get(name, options);
				const range = options?.range as { length?: number } | undefined;
				if (object) reads.push(range?.length ?? object.size);
				return object;
			};
		}
	});
	return { bucket, reads };
}

function envWith(overrides: Record<string, unknown>): Env {
	return new Proxy(env, {
		get: (target, key) => (typeof key === 'string' && key in overrides ? overrides[key] : Reflect.get(target, key))
	});
}

async function turnsOf(user: TestUser, recordId: string) {
	return (await callJson<TranscriptTurn[]>(`/api/records/${recordId}/transcript?format=json`, { as: user.as })).body;
}

/** Every burst once, in order, where it is in the recording (to the 10 ms the fakes hear in). */
function expectBurstsInOrder(turns: TranscriptTurn[]) {
	expect(turns).toHaveLength(BURST_COUNT);
	turns.forEach((turn, index) => {
		expect(turn.text).toBe(burstText(index));
		expect(Math.abs(turn.startMs! - burstStartMs(index))).toBeLessThanOrEqual(20);
		// The recording ends during its last burst.
		expect(Math.abs(turn.endMs! - Math.min(burstStartMs(index) + BURSTS.toneMs, DURATION_MS))).toBeLessThanOrEqual(20);
	});
}

describe('a 60 MB recording', () => {
	let owner: TestUser;
	let recordId: string;

	beforeAll(async () => {
		owner = await signUp('long-upload');
		const project = await createProject(owner);
		const boundary = `----parley${crypto.randomUUID()}`;
		const response = await call(`/api/projects/${project.id}/records`, {
			method: 'POST',
			body: multipart(boundary, 'clinic-visit.wav', recording()),
			headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
			as: owner.as
		});
		expect(response.status).toBe(201);
		const created = (await response.json()) as RecordDetail;
		expect(created).toMatchObject({ title: 'Long clinic visit', status: 'untranscribed', hasAudio: true, durationMs: DURATION_MS });
		recordId = created.id;
		const [stored] = await r2Keys(`${projectPrefix(owner.me.workspace.id, project.id)}uploads/${recordId}/`);
		const object = await env.FILES.get(stored!);
		expect(object!.size).toBe(FILE_BYTES);
		expect(await sha256(object!.body)).toBe(await sha256(recording()));
	}, 120_000);

	async function transcribeWith(overrides: Record<string, unknown>) {
		await env.DB.prepare("update record set status = 'processing' where id = ?").bind(recordId).run();
		const files = watchedFiles();
		await runJobs(
			[{ type: 'record.transcribe', workspaceId: owner.me.workspace.id, recordId }],
			envWith({ ...overrides, FILES: files.bucket })
		);
		// One range read per piece, never the recording whole; the header is read once more to learn the layout.
		expect(Math.max(...files.reads)).toBeLessThanOrEqual(PIECE_BYTES);
		expect(files.reads.reduce((sum, bytes) => sum + bytes, 0)).toBeLessThan(FILE_BYTES * 1.3);
		return files.reads;
	}

	it('is transcribed by OpenAI in pieces under its limit, in order, with each piece moved to its offset', async () => {
		await transcribeWith({ AI_PROVIDER: 'openai', OPENAI_API_KEY: REST_KEY, OPENAI_API_BASE_URL: REST_URL });
		const requests = (await (await fetch(`${REST_URL.replace(/\/v1$/, '')}/__requests`)).json()) as TranscriptionRequest[];
		const mine = requests.filter((request) => request.name.startsWith(`${recordId}-`));
		expect(mine.length).toBeGreaterThanOrEqual(Math.ceil(FILE_BYTES / PIECE_BYTES));
		expect(mine.length).toBeLessThanOrEqual(Math.ceil(FILE_BYTES / (PIECE_BYTES * 0.75)) + 1);
		expect(mine.map((request) => request.name)).toEqual(mine.map((_, index) => `${recordId}-${index + 1}.wav`));
		for (const request of mine) {
			expect(request).toMatchObject({ status: 200, model: 'whisper-1', responseFormat: 'verbose_json' });
			expect(request.bytes).toBeLessThanOrEqual(PIECE_BYTES);
		}
		expect(mine[0]!.prompt).toBeNull();
		expect(mine[1]!.prompt).toContain('Burst number');

		const detail = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: owner.as })).body;
		expect(detail).toMatchObject({ status: 'ready', turnCount: BURST_COUNT, durationMs: DURATION_MS });
		expectBurstsInOrder(await turnsOf(owner, recordId));
	}, 120_000);

	it('is transcribed by Whisper on Workers AI in pieces of base64 under the limit, in order, with offsets', async () => {
		const whisper = createFakeWhisper();
		vi.spyOn(env.AI, 'run').mockImplementation(whisper.run as never);
		await transcribeWith({ AI_PROVIDER: 'workers-ai' });
		expect(whisper.calls.length).toBeGreaterThanOrEqual(Math.ceil(FILE_BYTES / PIECE_BYTES));
		for (const piece of whisper.calls) {
			expect(piece.bytes).toBeLessThanOrEqual(PIECE_BYTES);
			expect(piece.audioChars).toBe(Math.ceil(piece.bytes / 3) * 4);
		}
		expect(whisper.calls[0]!.initialPrompt).toBeNull();
		expect(whisper.calls.slice(1).every((piece) => piece.initialPrompt?.includes('Burst number'))).toBe(true);

		const detail = (await callJson<RecordDetail>(`/api/records/${recordId}`, { as: owner.as })).body;
		expect(detail).toMatchObject({ status: 'ready', turnCount: BURST_COUNT, durationMs: DURATION_MS });
		expectBurstsInOrder(await turnsOf(owner, recordId));
	}, 120_000);
});

/** A stream of `bytes` bytes starting with `head`, zeros after it, made as it is read. */
function filled(head: Uint8Array, bytes: number): ReadableStream<Uint8Array> {
	let sent = 0;
	return new ReadableStream({
		pull(controller) {
			if (sent >= bytes) return controller.close();
			const piece = new Uint8Array(Math.min(64 * 1024, bytes - sent));
			if (sent === 0) piece.set(head.subarray(0, piece.length));
			sent += piece.length;
			controller.enqueue(piece);
		}
	});
}

async function uploadStream(user: TestUser, projectId: string, name: string, file: ReadableStream<Uint8Array>) {
	const boundary = `----parley${crypto.randomUUID()}`;
	return call(`/api/projects/${projectId}/records`, {
		method: 'POST',
		body: multipart(boundary, name, file),
		headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
		as: user.as
	});
}

async function expectNothingStored(user: TestUser, projectId: string) {
	const rows = await env.DB.prepare('select count(*) as n from record where project_id = ?').bind(projectId).first<{ n: number }>();
	expect(rows?.n).toBe(0);
	expect(await r2Keys(projectPrefix(user.me.workspace.id, projectId))).toEqual([]);
}

const OGG_HEAD = new TextEncoder().encode('OggS');

describe('recordings over a limit are refused as they stream in, and leave nothing behind', () => {
	it('a WAV past the 90 MB upload limit, sent without a length', async () => {
		const user = await signUp('too-long');
		const project = await createProject(user);
		const response = await uploadStream(user, project.id, 'huge.wav', filled(wavHeader(95 * 1024 * 1024), 95 * 1024 * 1024));
		expect(response.status).toBe(413);
		expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
			code: 'payload_too_large',
			message: 'Audio files are at most 90 MB.'
		});
		await expectNothingStored(user, project.id);
	}, 120_000);

	it('an .ogg too long for Workers AI to take whole, while local mode keeps it untranscribed', async () => {
		const user = await signUp('ogg');
		const project = await createProject(user);
		const saved = env.AI_PROVIDER;
		Object.assign(env, { AI_PROVIDER: 'workers-ai' });
		try {
			const refused = await uploadStream(user, project.id, 'call.ogg', filled(OGG_HEAD, 9 * 1024 * 1024));
			expect(refused.status).toBe(413);
			expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
				'.ogg recordings are transcribed whole, up to 8 MB; convert a longer one to .mp3 or .wav (up to 90 MB).'
			);
			await expectNothingStored(user, project.id);
		} finally {
			Object.assign(env, { AI_PROVIDER: saved });
		}
		const kept = await uploadStream(user, project.id, 'call.ogg', filled(OGG_HEAD, 9 * 1024 * 1024));
		expect(kept.status).toBe(201);
		expect(((await kept.json()) as RecordDetail).status).toBe('untranscribed');
	}, 60_000);
});

describe('a recording the provider cannot take', () => {
	it('fails in the job when it can be neither cut nor sent whole, without calling the provider', async () => {
		const user = await signUp('ogg-job');
		const project = await createProject(user);
		const recordId = crypto.randomUUID();
		const key = `${projectPrefix(user.me.workspace.id, project.id)}uploads/${recordId}/audio.ogg`;
		await env.FILES.put(key, filled(OGG_HEAD, 9 * 1024 * 1024).pipeThrough(new FixedLengthStream(9 * 1024 * 1024)));
		await env.DB.prepare(
			"insert into record (id, workspace_id, project_id, source, title, status, audio_key, created_at) values (?, ?, ?, 'upload', 'call', 'processing', ?, ?)"
		)
			.bind(recordId, user.me.workspace.id, project.id, key, Date.now())
			.run();
		const run = vi.spyOn(env.AI, 'run');
		await runJobs([{ type: 'record.transcribe', workspaceId: user.me.workspace.id, recordId }], envWith({ AI_PROVIDER: 'workers-ai' }));
		expect(run).not.toHaveBeenCalled();
		expect((await callJson<RecordDetail>(`/api/records/${recordId}`, { as: user.as })).body.status).toBe('failed');
	});
});
