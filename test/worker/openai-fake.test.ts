/**
 * The fake OpenAI Realtime server fails the way the real service does: these tests hold it to
 * OpenAI's behaviour, so the provider's tests against it mean something.
 */
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { arm, FAKE, KEY, latestSession, until } from './helpers/openai';

type Raw = { type: string; [key: string]: any };

/** A raw client of the fake: what it sent, and every event it got back. */
async function connect(query = '', headers: Record<string, string> = {}) {
	const response = await fetch(`${FAKE}?model=gpt-realtime${query}`, {
		headers: { Upgrade: 'websocket', Authorization: `Bearer ${KEY}`, ...headers }
	});
	const socket = response.webSocket!;
	const events: Raw[] = [];
	const closed = new Promise<number>((resolve) => socket.addEventListener('close', (event) => resolve(event.code)));
	socket.addEventListener('message', (event) => events.push(JSON.parse(String(event.data))));
	socket.accept();
	const send = (event: RealtimeClientEvent | Raw) => socket.send(JSON.stringify(event));
	/** Waits for the `count`-th event (from `from` on) of `type`. */
	const next = (type: RealtimeServerEvent['type'], from = 0) => until(async () => events.slice(from).find((event) => event.type === type));
	return { socket, events, closed, send, next };
}

const configure = (marker: string, session: Record<string, unknown> = {}): RealtimeClientEvent => ({
	type: 'session.update',
	event_id: `update_${marker.slice(-6)}`,
	session: { type: 'realtime', instructions: marker, ...session }
});

/** The text of the next error after `from`, with its code and param. */
const errorAfter = async (client: Awaited<ReturnType<typeof connect>>, from: number) => (await client.next('error', from)).error;

describe('the fake OpenAI Realtime server holds clients to the GA protocol', () => {
	it('closes a connection that sends the beta header with 4000, and refuses a wrong key', async () => {
		const beta = await connect('', { 'OpenAI-Beta': 'realtime=v1' });
		expect(await beta.closed).toBe(4000);
		const refused = await fetch(`${FAKE}?model=gpt-realtime`, { headers: { Upgrade: 'websocket', Authorization: 'Bearer sk-wrong' } });
		expect(refused.status).toBe(401);
		await refused.body?.cancel();
	});

	it('answers beta session shapes and retired event names with errors', async () => {
		const client = await connect();
		client.socket.send(JSON.stringify({ type: 'session.update', session: { modalities: ['audio'], input_audio_format: 'pcm16' } }));
		client.socket.send(
			JSON.stringify({
				type: 'session.update',
				session: { type: 'realtime', instructions: 'x', audio: { input: { format: { type: 'audio/pcm', rate: 24000 } } } }
			})
		);
		client.socket.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: 'not base64!' }));
		client.socket.send(
			JSON.stringify({
				type: 'conversation.item.create',
				item: { type: 'message', role: 'assistant', content: [{ type: 'input_text', text: 'beta-style' }] }
			})
		);
		await until(async () => (client.events.filter((event) => event.type === 'error').length >= 3 ? true : undefined));
		const errors = client.events.filter((event) => event.type === 'error').map((event) => event.error!.message);
		expect(errors[0]).toContain('session.type');
		expect(errors.some((message) => message.includes('base64'))).toBe(true);
		expect(errors.some((message) => message.includes('assistant'))).toBe(true);
		client.socket.close();
	});
});

describe('the fake OpenAI Realtime server refuses what OpenAI refuses, and the session survives', () => {
	it('answers an unknown voice with invalid_value at session.audio.output.voice and keeps the previous configuration', async () => {
		const marker = `voice-${crypto.randomUUID()}`;
		const client = await connect();
		await client.next('session.created');
		client.send(configure(marker, { audio: { output: { voice: 'browser' } } }));
		const refusal = await errorAfter(client, 0);
		expect(refusal).toMatchObject({
			type: 'invalid_request_error',
			code: 'invalid_value',
			param: 'session.audio.output.voice',
			event_id: `update_${marker.slice(-6)}`
		});
		const refused = await latestSession(marker);
		expect(refused.session!.audio.output.voice).toBe('alloy');
		expect(refused.instructions).not.toContain(marker);

		client.send(configure(marker, { audio: { output: { voice: 'marin' } } }));
		await client.next('session.updated');
		expect((await latestSession(marker)).session!.audio.output.voice).toBe('marin');
		client.socket.close();
	});

	it('validates each turn detection mode with its own fields, and can refuse semantic VAD for a session', async () => {
		const marker = `vad-${crypto.randomUUID()}`;
		const client = await connect();
		const detect = (turn_detection: Record<string, unknown>) => configure(marker, { audio: { input: { turn_detection } } });
		const refusals: Array<{ code: string; param: string }> = [];
		for (const detection of [
			{ type: 'semantic_vad', eagerness: 'low', silence_duration_ms: 800 },
			{ type: 'semantic_vad', eagerness: 'slow' },
			{ type: 'server_vad', eagerness: 'low' },
			{ type: 'server_vad', silence_duration_ms: -1 },
			{ type: 'push_to_talk' }
		]) {
			const from = client.events.length;
			client.send(detect(detection));
			const { code, param } = await errorAfter(client, from);
			refusals.push({ code, param });
		}
		expect(refusals).toEqual([
			{ code: 'unknown_parameter', param: 'session.audio.input.turn_detection.silence_duration_ms' },
			{ code: 'invalid_value', param: 'session.audio.input.turn_detection.eagerness' },
			{ code: 'unknown_parameter', param: 'session.audio.input.turn_detection.eagerness' },
			{ code: 'invalid_value', param: 'session.audio.input.turn_detection.silence_duration_ms' },
			{ code: 'invalid_value', param: 'session.audio.input.turn_detection.type' }
		]);
		client.send(detect({ type: 'semantic_vad', eagerness: 'low', create_response: true, interrupt_response: true }));
		await client.next('session.updated');
		expect((await latestSession(marker)).session!.audio.input.turn_detection).toEqual({
			type: 'semantic_vad',
			eagerness: 'low',
			create_response: true,
			interrupt_response: true,
			threshold: 0.5,
			prefix_padding_ms: 300,
			silence_duration_ms: 500,
			idle_timeout_ms: null
		});
		client.socket.close();

		const unsupported = await connect('&fake_semantic_vad=unsupported');
		unsupported.send(configure(marker, { audio: { input: { turn_detection: { type: 'semantic_vad' } } } }));
		expect(await errorAfter(unsupported, 0)).toMatchObject({ code: 'invalid_value', param: 'session.audio.input.turn_detection.type' });
		unsupported.socket.close();
	});

	it('refuses two output modalities at once, a voice change after the session spoke, and a cut past the audio', async () => {
		const marker = `spoke-${crypto.randomUUID()}`;
		const client = await connect();
		client.send(configure(marker, { output_modalities: ['audio', 'text'] }));
		expect(await errorAfter(client, 0)).toMatchObject({ code: 'invalid_value', param: 'session.output_modalities' });
		client.send(configure(marker, { output_modalities: ['audio'], audio: { output: { voice: 'cedar' } } }));
		await client.next('session.updated');
		client.send({ type: 'response.create' });
		const done = await client.next('response.done');
		const audioMs = (await latestSession(marker)).replies[0]!.audioBytes / 48;
		expect(Number.isInteger(audioMs)).toBe(false);

		let from = client.events.length;
		client.send(configure(marker, { audio: { output: { voice: 'marin' } } }));
		expect(await errorAfter(client, from)).toMatchObject({ code: 'cannot_update_voice', param: 'session.audio.output.voice' });
		const itemId = (await latestSession(marker)).replies[0]!.itemId;
		for (const audio_end_ms of [Math.ceil(audioMs), 12.5]) {
			from = client.events.length;
			client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms });
			expect(await errorAfter(client, from)).toMatchObject({ code: 'invalid_value', param: 'audio_end_ms' });
		}
		client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: Math.floor(audioMs) });
		await client.next('conversation.item.truncated');
		expect(done.response.status).toBe('completed');
		client.socket.close();
	});

	it('fails responses on cue as OpenAI does: failed with status details, incomplete halfway, rate limits at every start', async () => {
		const marker = `fail-${crypto.randomUUID()}`;
		const client = await connect();
		client.send(configure(marker));
		await client.next('session.updated');
		const respond = async () => {
			const from = client.events.length;
			client.send({ type: 'response.create' });
			const done = await client.next('response.done', from);
			return { done: done.response, events: client.events.slice(from) };
		};
		await arm(marker, 'response-failed:insufficient_quota');
		const failed = await respond();
		expect(failed.done).toMatchObject({
			status: 'failed',
			status_details: { type: 'failed', error: { type: 'insufficient_quota', code: 'insufficient_quota' } }
		});
		expect(failed.events.map((event) => event.type)).toEqual(['response.created', 'rate_limits.updated', 'response.done']);

		await arm(marker, 'response-incomplete:content_filter');
		const incomplete = await respond();
		expect(incomplete.done).toMatchObject({ status: 'incomplete', status_details: { type: 'incomplete', reason: 'content_filter' } });
		const said = incomplete.events.find((event) => event.type === 'response.output_audio_transcript.done')!.transcript as string;
		expect(said.split(' ').length).toBeLessThan('Hello, thank you for joining. What is your role?'.split(' ').length);

		await arm(marker, 'response-failed:rate_limit');
		const limited = await respond();
		const limits = limited.events.find((event) => event.type === 'rate_limits.updated')!.rate_limits;
		expect(limits).toContainEqual({ name: 'tokens', limit: 40_000, remaining: 0, reset_seconds: 0.6 });
		expect(limited.done.status_details.error).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' });
		expect(limited.done.status_details.error.message).toContain('Please try again in 600ms');

		const completed = await respond();
		expect(completed.done.status).toBe('completed');
		expect(completed.events.filter((event) => event.type === 'rate_limits.updated')).toHaveLength(1);
		client.socket.close();
	});

	it('sends an error event of each type on cue, and the session goes on after each', async () => {
		const marker = `errors-${crypto.randomUUID()}`;
		const client = await connect();
		client.send(configure(marker));
		await client.next('session.updated');
		for (const type of ['invalid_request_error', 'server_error', 'rate_limit', 'insufficient_quota']) {
			const from = client.events.length;
			await arm(marker, `error:${type}`);
			expect((await errorAfter(client, from)).type).toBe(type === 'rate_limit' ? 'tokens' : type);
			client.send({ type: 'response.create' });
			expect((await client.next('response.done', from)).response.status).toBe('completed');
		}
		expect((await latestSession(marker)).closed).toBe(false);
		client.socket.close();
	});
});
