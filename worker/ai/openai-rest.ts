import type OpenAI from 'openai';
import { logInfo } from '../lib/log';

/**
 * OpenAI's REST API (reports, uploaded-audio transcription) through the official SDK: its base
 * URL, which tests point at a loopback fake, and a client made per job.
 */

type RestVars = Pick<Env, 'OPENAI_API_KEY'> & { OPENAI_API_BASE_URL?: string };

export function openAiBaseUrl(env: RestVars): string {
	const configured = env.OPENAI_API_BASE_URL?.trim();
	return (configured || 'https://api.openai.com/v1').replace(/\/+$/, '');
}

/** The SDK's own warnings (retries, mostly) go through our log, which scrubs anything key-like; the rest is dropped. */
const sdkLogger = {
	error: (message: string) => logInfo('openai.sdk', { level: 'error', message: String(message) }),
	warn: (message: string) => logInfo('openai.sdk', { level: 'warn', message: String(message) }),
	info: () => undefined,
	debug: () => undefined
};

/**
 * Read at call time, so the Workers runtime's fetch (or a test's stand-in) is the one used. One
 * function for the isolate's life: the SDK probes each new fetch it is given for FormData support
 * (a `data:` fetch and a Response read) before its first upload, and caches the answer per function.
 */
const runtimeFetch = (input: string | URL | Request, init?: RequestInit) => fetch(input, init);

/**
 * The SDK is imported when a job first needs it: importing it with the Worker's modules made
 * every cold start (and the test suite's start) noticeably slower, and most requests never call
 * OpenAI's REST API.
 */
export async function openAiClient(env: RestVars): Promise<OpenAI> {
	const { default: Client } = await import('openai');
	return new Client({
		apiKey: env.OPENAI_API_KEY,
		baseURL: openAiBaseUrl(env),
		fetch: runtimeFetch,
		logger: sdkLogger,
		logLevel: 'warn'
	});
}

export type OpenAiFailure = { kind: 'unreachable' } | { kind: 'status'; status: number } | { kind: 'other' };

/** What went wrong in an SDK call, in the terms our messages to the user are worded in. */
export async function classifyOpenAiError(error: unknown): Promise<OpenAiFailure> {
	const { APIConnectionError, APIError } = await import('openai');
	if (error instanceof APIConnectionError) return { kind: 'unreachable' };
	if (error instanceof APIError && typeof error.status === 'number') return { kind: 'status', status: error.status };
	return { kind: 'other' };
}
