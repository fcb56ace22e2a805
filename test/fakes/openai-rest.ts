/**
 * A fake of OpenAI's REST transcription endpoint on loopback, for the workerd suite: it checks the
 * key, the model and OpenAI's 25 MiB request limit (answering 413 with OpenAI's error shape), reads
 * the multipart form as OpenAI would, "hears" the tone bursts of a WAV piece (see tone-bursts.ts)
 * and answers verbose_json with a segment per burst. It records every request it received.
 * Control over HTTP: GET /__requests, POST /__reset.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { burstText, hearBursts, wavSamples } from './tone-bursts';

export const FAKE_REST_KEY = 'sk-test-fake-rest-key-0123456789abcdef';
/** OpenAI refuses request bodies over 25 MiB. */
export const OPENAI_MAX_BYTES = 25 * 1024 * 1024;

export type TranscriptionRequest = {
	name: string;
	bytes: number;
	model: string | null;
	responseFormat: string | null;
	prompt: string | null;
	status: number;
};

function reply(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

const openAiError = (message: string, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: null } });

async function transcription(
	req: IncomingMessage,
	apiKey: string
): Promise<{ status: number; body: unknown; seen?: TranscriptionRequest }> {
	if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: openAiError('Incorrect API key provided.') };
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

export async function startFakeOpenAiRest(): Promise<{ url: string; apiKey: string; close: () => Promise<void> }> {
	let requests: TranscriptionRequest[] = [];
	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://fake').pathname;
		if (req.method === 'GET' && path === '/__requests') return reply(res, 200, requests);
		if (req.method === 'POST' && path === '/__reset') {
			requests = [];
			return reply(res, 200, {});
		}
		if (req.method === 'POST' && path === '/v1/audio/transcriptions') {
			transcription(req, FAKE_REST_KEY).then(
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
