/**
 * A fake of OpenAI's REST API on loopback, for the workerd suite. Transcriptions: it checks the
 * key, the model and OpenAI's 25 MiB request limit (answering 413 with OpenAI's error shape), reads
 * the multipart form as OpenAI would, "hears" the tone bursts of a WAV piece (see tone-bursts.ts)
 * and answers verbose_json with a segment per burst. Chat completions with a strict JSON schema:
 * a report citing the first respondent turn it was shown, or a refusal when the prompt asks for
 * one. It records every request, and can be told to fail the next few with a status.
 * Control over HTTP: GET /__requests, GET /__chats, POST /__fail?key=…&status=…&times=….
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ChatRequest, TranscriptionRequest } from './openai-rest-requests.ts';
import { fakeNamesIn, isNamesSchema } from './person-names.ts';
import { burstText, hearBursts, wavSamples } from './tone-bursts.ts';

export const FAKE_REST_KEY = 'sk-test-fake-rest-key-0123456789abcdef';
/** Any key that starts like FAKE_REST_KEY is accepted, so a test can tell its own requests (and injected failures) apart. */
const knownKey = (header: string | undefined) => Boolean(header?.startsWith(`Bearer ${FAKE_REST_KEY}`));
/** OpenAI refuses request bodies over 25 MiB. */
export const OPENAI_MAX_BYTES = 25 * 1024 * 1024;

function reply(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

const openAiError = (message: string, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: null } });

async function transcription(req: IncomingMessage): Promise<{ status: number; body: unknown; seen?: TranscriptionRequest }> {
	if (!knownKey(req.headers.authorization)) return { status: 401, body: openAiError('Incorrect API key provided.') };
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > OPENAI_MAX_BYTES) {
		req.resume();
		return {
			status: 413,
			body: openAiError(`Maximum content size limit (${OPENAI_MAX_BYTES}) exceeded (${declared} bytes read)`, 'server_error')
		};
	}
	const request = new Request('http://fake/', {
		method: 'POST',
		headers: req.headers as Record<string, string>,
		body: Readable.toWeb(req) as ReadableStream,
		duplex: 'half'
	} as RequestInit);
	const form = await request.formData();
	const file = form.get('file');
	const field = (name: string) => (typeof form.get(name) === 'string' ? (form.get(name) as string) : null);
	if (!(file instanceof File)) return { status: 400, body: openAiError("'file' is a required property") };
	const bytes = new Uint8Array(await file.arrayBuffer());
	const seen: TranscriptionRequest = {
		name: file.name,
		bytes: bytes.length,
		model: field('model'),
		responseFormat: field('response_format'),
		prompt: field('prompt'),
		status: 200
	};
	if (seen.model !== 'whisper-1') return { status: 400, body: openAiError(`Invalid model ${seen.model}`), seen: { ...seen, status: 400 } };
	const wav = wavSamples(bytes);
	if (!wav) return { status: 400, body: openAiError('Invalid file format.'), seen: { ...seen, status: 400 } };
	const heard = hearBursts(wav.pcm, wav.sampleRate);
	const segments = heard.map((burst, id) => ({
		id,
		seek: 0,
		start: burst.startMs / 1000,
		end: burst.endMs / 1000,
		text: ` ${burstText(burst.index)}`,
		tokens: [],
		temperature: 0,
		avg_logprob: -0.1,
		compression_ratio: 1,
		no_speech_prob: 0.01
	}));
	return {
		status: 200,
		body: {
			task: 'transcribe',
			language: 'english',
			duration: wav.pcm.length / wav.sampleRate,
			text: segments.map((segment) => segment.text).join(''),
			segments
		},
		seen
	};
}

/** A report in the shape the schema asks for, citing the first respondent turn the prompt shows; a refusal when it says REFUSE. */
function chatAnswer(body: { messages: { content: string }[]; response_format: { json_schema: { schema: { properties: object } } } }) {
	const prompt = body.messages.at(-1)!.content;
	if (isNamesSchema(body.response_format.json_schema))
		return { role: 'assistant', content: JSON.stringify({ names: fakeNamesIn(prompt) }), refusal: null };
	if (prompt.includes('REFUSE')) return { role: 'assistant', content: null, refusal: 'I cannot help with that.' };
	const record = /## Record (\S+) — /.exec(prompt)?.[1] ?? '';
	const turn = /^\[(\S+) @ [^\]]+\] Respondent: (.*)$/m.exec(prompt);
	const quote = { recordId: record, turnId: turn?.[1] ?? 't1', text: turn?.[2] ?? '' };
	const single = 'sentiment' in body.response_format.json_schema.schema.properties;
	const report = single
		? {
				summary: 'Written by the fake through the SDK.',
				findings: [],
				answers: [{ questionId: 'q1', question: 'What is your role?', answers: [quote] }],
				quotes: [quote],
				sentiment: { label: 'positive', explanation: 'Fake.' }
			}
		: { summary: 'Written by the fake.', themes: [], findings: [], contradictions: [], outliers: [], followUpQuestions: [] };
	return { role: 'assistant', content: JSON.stringify(report), refusal: null };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startFakeOpenAiRest(): Promise<{ url: string; apiKey: string; close: () => Promise<void> }> {
	const requests: TranscriptionRequest[] = [];
	const chats: ChatRequest[] = [];
	let failures = { key: '', status: 0, times: 0 };
	// Tests in parallel share this server: they find their own requests by file name or key rather than resetting it.
	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://fake');
		const path = url.pathname;
		if (req.method === 'GET' && path === '/__requests') return reply(res, 200, requests);
		if (req.method === 'GET' && path === '/__chats') return reply(res, 200, chats);
		if (req.method === 'POST' && path === '/__fail') {
			failures = {
				key: url.searchParams.get('key') ?? '',
				status: Number(url.searchParams.get('status')),
				times: Number(url.searchParams.get('times'))
			};
			return reply(res, 200, {});
		}
		if (failures.times > 0 && req.headers.authorization === `Bearer ${failures.key}`) {
			failures.times -= 1;
			req.resume();
			// Retry-After in milliseconds, which the SDK honours, keeps its backoff short in tests.
			res.writeHead(failures.status, { 'Content-Type': 'application/json', 'retry-after-ms': '10' });
			return res.end(JSON.stringify(openAiError('Rate limit reached for requests', 'requests')));
		}
		if (req.method === 'POST' && path === '/v1/chat/completions') {
			if (!knownKey(req.headers.authorization)) return reply(res, 401, openAiError('Incorrect API key provided.'));
			readJson(req).then(
				(body) => {
					const request = body as Parameters<typeof chatAnswer>[0] & { model: string; response_format: ChatRequest['responseFormat'] };
					chats.push({
						key: String(req.headers.authorization).replace(/^Bearer /, ''),
						model: request.model,
						userAgent: String(req.headers['user-agent']),
						responseFormat: request.response_format,
						messages: (request.messages as { role: string; content: string }[]).map(({ role, content }) => ({ role, content }))
					});
					const message = chatAnswer(request);
					reply(res, 200, {
						id: 'chatcmpl-fake',
						object: 'chat.completion',
						created: Math.floor(Date.now() / 1000),
						model: request.model,
						choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }],
						usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 }
					});
				},
				(error: unknown) => reply(res, 400, openAiError(String(error)))
			);
			return;
		}
		if (req.method === 'POST' && path === '/v1/audio/transcriptions') {
			transcription(req).then(
				({ status, body, seen }) => {
					if (seen) requests.push(seen);
					reply(res, status, body);
				},
				(error: unknown) => reply(res, 500, openAiError(String(error), 'server_error'))
			);
			return;
		}
		reply(res, 404, openAiError(`Unknown request URL: ${req.method} ${path}`));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		apiKey: FAKE_REST_KEY,
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
