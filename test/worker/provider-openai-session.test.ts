/**
 * How an interview configures its OpenAI Realtime session, against a fake that refuses what OpenAI
 * refuses: the voice fitted to the provider, turn detection from the interviewer's patience (and its
 * fallback), spoken output.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { AiSettings } from '../../worker/contracts/providers';
import { callJson } from './helpers/api';
import { createInterviewer, createLinks, join, respondent } from './helpers/interview';
import { pcmFrame } from './helpers/interview';
import {
	arm,
	briefFor,
	dropUpstream,
	FAKE,
	latestSession,
	openaiInterview,
	received,
	sessions,
	sha256,
	soloSession,
	turnsOf,
	until,
	useOpenAi,
	watchedConnect
} from './helpers/openai';

const { logs } = useOpenAi();

const chooseProvider = async (as: { cookie?: string }, provider: 'local' | 'openai') => {
	const saved = await callJson<AiSettings>('/api/workspace/ai', { method: 'PATCH', json: { provider }, as });
	expect(saved.body.provider).toBe(provider);
};

describe('the OpenAI session is configured with what OpenAI accepts', () => {
	it('fits a voice saved under the local provider to OpenAI: the session.update carries marin and draws no error', async () => {
		const { marker, owner, project } = await openaiInterview();
		await chooseProvider(owner.as, 'local');
		const local = await createInterviewer(owner, project.id, { voice: 'browser' });
		expect(local.voice).toBe('browser');
		const { links } = await createLinks(owner, local.id, { kind: 'single', count: 1 });
		await chooseProvider(owner.as, 'openai');

		const joined = await join(links[0]!.token, { email: respondent() });
		expect(joined.first).toMatchObject({ type: 'welcome', provider: 'openai' });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const session = await latestSession(marker);
		expect(session.session!.audio.output.voice).toBe('marin');
		expect(session.errors).toEqual([]);
		expect(session.protocolErrors).toEqual([]);
		expect(joined.messages.filter((message) => message.type === 'error')).toEqual([]);
		expect(logs.some((line) => line.includes('provider.brief_fitted') && line.includes('voice \\"browser\\" → \\"marin\\"'))).toBe(true);
		joined.socket.close();
	});

	it('asks for spoken replies explicitly (audio, with its transcript), whatever a session defaults to', async () => {
		const marker = `audio-${crypto.randomUUID()}`;
		const { session, recorded } = soloSession(briefFor(marker));
		await session.start();
		await until(async () => (recorded.history.some((turn) => turn.role === 'interviewer') ? true : undefined));
		const upstream = await latestSession(marker);
		expect(upstream.updates.map((update) => update.output_modalities)).toEqual([['audio']]);
		expect(upstream.errors).toEqual([]);
		expect(recorded.audio.length).toBeGreaterThan(0);
		await session.close();
	});

	it('turns the interviewer’s patience into semantic VAD: Patient, the default, waits longest; Quick answers soonest', async () => {
		for (const [patience, eagerness] of [
			[undefined, 'low'],
			['quick', 'high']
		] as const) {
			const { marker, token } = await openaiInterview(patience ? { patience } : {});
			const joined = await join(token, { email: respondent() });
			await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
			const session = await latestSession(marker);
			expect(session.session!.audio.input.turn_detection).toMatchObject({
				type: 'semantic_vad',
				eagerness,
				create_response: true,
				interrupt_response: true
			});
			expect(session.errors).toEqual([]);
			joined.socket.close();
		}
	});

	it('falls back to server VAD with the patience’s silence where OpenAI refuses semantic VAD, and greets only once configured', async () => {
		const marker = `fallback-${crypto.randomUUID()}`;
		const { session, recorded } = soloSession(briefFor(marker, { voice: 'coral' }), { url: `${FAKE}?fake_semantic_vad=unsupported` });
		await session.start();
		await until(async () => (recorded.history.some((turn) => turn.role === 'interviewer') ? true : undefined));
		const upstream = await latestSession(marker);
		expect(upstream.errors.map((error) => [error.code, error.param])).toEqual([
			['invalid_value', 'session.audio.input.turn_detection.type']
		]);
		expect(upstream.session!.audio.input.turn_detection).toMatchObject({
			type: 'server_vad',
			silence_duration_ms: 1_200,
			create_response: true,
			interrupt_response: true
		});
		// The greeting waited for the accepted configuration: it speaks with our instructions and voice.
		expect(upstream.eventTypes.slice(0, 3)).toEqual(['session.update', 'session.update', 'response.create']);
		expect(upstream.session!.audio.output.voice).toBe('coral');
		expect(upstream.instructions).toContain(marker);
		expect(recorded.errors).toEqual([]);
		expect(recorded.usage['openai.turn_detection_fallbacks']).toBe(1);

		// Server VAD hears the answer end after the patience's 1.2 s of silence.
		for (let index = 0; index < 40; index += 1) session.sendAudio(pcmFrame(index < 8), 2_000 + index * 40);
		await until(async () => (recorded.history.some((turn) => turn.role === 'respondent') ? true : undefined));

		// A new upstream session of the same interview asks for server VAD at once.
		expect(await dropUpstream(marker)).toBe(1);
		const next = await latestSession(marker, (found) => found.id !== upstream.id && found.instructions.includes(marker));
		expect(next.errors).toEqual([]);
		expect(next.eventTypes.filter((type) => type === 'session.update')).toHaveLength(1);
		expect(next.session!.audio.input.turn_detection.type).toBe('server_vad');
		await session.close();
	});
});

describe('barge-in on OpenAI', () => {
	it('cuts a reply at the last whole millisecond heard, never past the end of its audio', async () => {
		const marker = `cut-${crypto.randomUUID()}`;
		let clock = 1_000_000;
		const { session, recorded } = soloSession(briefFor(marker), { now: () => clock });
		await session.start();
		const greeting = await latestSession(marker, (found) => found.replies[0]?.status === 'completed');
		const audioMs = greeting.replies[0]!.audioBytes / 48;
		await until(async () =>
			recorded.audio.reduce((sum, pcm) => sum + pcm.byteLength, 0) === greeting.replies[0]!.audioBytes ? true : undefined
		);
		// The respondent speaks over the very end of the greeting: all but 20 µs of it was heard.
		clock += audioMs - 0.02;
		for (let index = 0; index < 10; index += 1) session.sendAudio(pcmFrame(true), 5_000 + index * 40);
		const cut = await latestSession(marker, (found) => found.truncates.length > 0 || found.errors.length > 0);
		expect(cut.errors).toEqual([]);
		expect(cut.truncates).toEqual([{ item_id: greeting.replies[0]!.itemId, content_index: 0, audio_end_ms: Math.floor(audioMs - 0.02) }]);
		expect(Number.isInteger(audioMs)).toBe(false);
		expect(recorded.errors).toEqual([]);
		await session.close();
	});
});

describe('an OpenAI session that reconnects', () => {
	it('sends a wrap-up note owed while it was away after the configuration and the replay, worded with the time left then', async () => {
		const marker = `wrap-${crypto.randomUUID()}`;
		let remainingMs = 40_000;
		const watched = watchedConnect();
		const { session, recorded } = soloSession(
			briefFor(marker),
			{ backoffMs: [600], connect: watched.connect },
			{ remainingMs: () => remainingMs }
		);
		await session.start();
		await until(async () => (recorded.history.some((turn) => turn.role === 'interviewer') ? true : undefined));
		const first = await latestSession(marker, (found) => found.replies[0]?.status === 'completed');
		expect(await dropUpstream(marker)).toBe(1);
		await watched.noticedDrops();
		session.wrapUp(remainingMs);
		remainingMs = 25_000;

		const next = await latestSession(
			marker,
			(found) => found.id !== first.id && found.items.length >= 2 && found.eventTypes.includes('response.create')
		);
		expect(next.items.map((item) => item.role)).toEqual(['assistant', 'system']);
		expect(next.items[1]!.text).toContain('about 25 seconds remain');
		const types = next.eventTypes.filter((type) => type !== 'input_audio_buffer.append');
		expect(types).toEqual(['session.update', 'conversation.item.create', 'conversation.item.create', 'response.create']);
		expect(first.items.some((item) => item.role === 'system')).toBe(false);
		await session.close();
	});

	it('places speech heard in the audio that waited for the new session at the time it was spoken', async () => {
		const marker = `timeline-${crypto.randomUUID()}`;
		const watched = watchedConnect();
		const { session, recorded } = soloSession(briefFor(marker), { backoffMs: [600], connect: watched.connect }, { elapsedMs: () => 1_000 });
		await session.start();
		const first = await latestSession(marker, (found) => found.replies[0]?.status === 'completed');
		expect(await dropUpstream(marker)).toBe(1);
		await watched.noticedDrops();
		// While there is no socket: 400 ms of silence from 10 s into the interview, then an answer.
		for (let index = 0; index < 40; index += 1) session.sendAudio(pcmFrame(index >= 10 && index < 30), 10_000 + index * 40);

		const answer = await until(async () => recorded.history.find((turn) => turn.role === 'respondent'));
		const next = await latestSession(marker, (found) => found.id !== first.id);
		expect(next.audioBytes).toBe(40 * 1_920);
		expect(answer.at).toBe(10_400);
		await session.close();
	});

	it('loses nothing when the socket is cut mid-reply: the new session hears the conversation replayed and answers', async () => {
		const { marker, token } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		const first = await latestSession(marker, (found) => found.replies[0]?.status === 'completed');
		await arm(marker, 'drop-mid-response');
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I manage a bakery.' }));

		const answer = await joined.waitFor((messages) =>
			turnsOf(messages).find((turn) => turn.text === 'Thank you. Which tools do you use every day?')
		);
		expect(answer.role).toBe('interviewer');
		const [cut, next] = await until(async () => {
			const found = await sessions(marker);
			return found.length >= 2 && found[1]!.replies[0]?.status === 'completed' ? found : undefined;
		});
		expect(cut!.id).toBe(first.id);
		expect(cut!.faults).toEqual(['drop-mid-response']);
		expect(cut!.closed).toBe(true);
		// The replay is the stored conversation; the answers to the new reply's tool calls follow it.
		expect(next!.items.filter((item) => item.type !== 'function_call_output')).toEqual([
			{ role: 'assistant', type: 'output_text', text: 'Hello, thank you for joining. What is your role?' },
			{ role: 'user', type: 'input_text', text: 'I manage a bakery.' }
		]);
		expect(next!.errors).toEqual([]);
		// The cut reply left no turn: only the one the new session gave is stored.
		const interviewer = turnsOf(joined.messages).filter((turn) => turn.role === 'interviewer' && turn.final);
		expect(new Set(interviewer.map((turn) => turn.id)).size).toBe(2);
		joined.socket.close();
	});

	it('loses and reorders nothing when OpenAI is slow to answer: the audio that waited goes first, in order, and the late greeting plays whole', async () => {
		const { marker, token } = await openaiInterview();
		const saved = env.OPENAI_REALTIME_URL;
		env.OPENAI_REALTIME_URL = `${FAKE}?fake_first_byte_ms=800&fake_first_audio_ms=400`;
		try {
			const joined = await join(token, { email: respondent() });
			const sent = Array.from({ length: 15 }, (_, index) => new Int16Array(960).fill(index + 1).buffer);
			for (const frame of sent) joined.socket.send(frame);
			const greeting = await latestSession(marker, (found) => found.replies[0]?.status === 'completed' && found.audioBytes >= 15 * 1_920);
			expect(greeting.audioSha256).toBe(await sha256(sent));
			const appends = greeting.eventTypes.flatMap((type, index) => (type === 'input_audio_buffer.append' ? [index] : []));
			expect(greeting.eventTypes[0]).toBe('session.update');
			expect(appends).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
			const played = await until(async () => {
				const bytes = await received(joined.binary);
				return bytes.reduce((sum, chunk) => sum + chunk.byteLength, 0) >= greeting.replies[0]!.audioBytes ? bytes : undefined;
			});
			expect(await sha256(played)).toBe(greeting.replies[0]!.audioSha256);
			expect(greeting.errors).toEqual([]);
			joined.socket.close();
		} finally {
			env.OPENAI_REALTIME_URL = saved;
		}
	});
});
