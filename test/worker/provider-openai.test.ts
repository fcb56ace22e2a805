import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PROVIDER_ERRORS } from '../../worker/ai/provider';
import { connectWebSocket } from '../../worker/ai/upstream';
import { GUIDE, join, pcmFrame, respondent } from './helpers/interview';
import {
	briefFor,
	dropUpstream,
	KEY,
	openaiInterview,
	received,
	sessions,
	sha256,
	soloSession,
	turnsOf,
	until,
	useOpenAi
} from './helpers/openai';
import { followPlayback } from './helpers/playback';

const { logs } = useOpenAi();

describe('OpenAI Realtime provider against the fake server', () => {
	it('configures a GA session with the guide, greets first, and plays the interviewer byte for byte', async () => {
		const { marker, token } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		expect(joined.first.type).toBe('welcome');
		const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		expect(greeting.text).toBe('Hello, thank you for joining. What is your role?');

		const [session] = await sessions(marker);
		expect(session!.refused).toBeNull();
		expect(session!.protocolErrors).toEqual([]);
		expect(session!.session!.type).toBe('realtime');
		expect(session!.session!.audio.input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
		expect(session!.session!.audio.input.turn_detection.type).toBe('semantic_vad');
		expect(session!.session!.audio.output.voice).toBe('coral');
		for (const question of GUIDE.sections.flatMap((section) => section.questions)) expect(session!.instructions).toContain(question.text);
		expect(session!.eventTypes.slice(0, 2)).toEqual(['session.update', 'response.create']);

		const reply = session!.replies[0]!;
		const played = await until(async () => {
			const bytes = await received(joined.binary);
			return bytes.reduce((sum, chunk) => sum + chunk.byteLength, 0) >= reply.audioBytes ? bytes : undefined;
		});
		expect(await sha256(played)).toBe(reply.audioSha256);
		joined.socket.close();
	});

	it('relays the respondent’s audio upstream byte for byte and stores both transcripts in the order spoken', async () => {
		const { marker, token } = await openaiInterview();
		const email = respondent();
		const joined = await join(token, { email });
		const playback = followPlayback(joined);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		// Speak once the whole greeting has played, so the answer follows it rather than interrupting it.
		const [greeted] = await sessions(marker);
		await playback.played(greeted!.replies[0]!.audioBytes);
		const sent: ArrayBuffer[] = [];
		for (let index = 0; index < 50; index += 1) {
			const frame = pcmFrame(index >= 5 && index < 35);
			sent.push(frame);
			joined.socket.send(frame);
		}
		const turns = await joined.waitFor((messages) => {
			const all = turnsOf(messages);
			return all.length >= 3 ? all : undefined;
		});
		const [upstream] = await until(async () => {
			const found = await sessions(marker);
			return found[0] && found[0].audioBytes >= 50 * 1920 ? found : undefined;
		});
		expect(upstream!.audioSha256).toBe(await sha256(sent));
		expect(upstream!.protocolErrors).toEqual([]);

		const respondentTurn = turns.find((turn) => turn.role === 'respondent')!;
		expect(respondentTurn.text).toBe('I run the support team at a small bakery.');
		const second = turns.filter((turn) => turn.role === 'interviewer')[1]!;
		expect(second.text).toBe('Thank you. Which tools do you use every day?');
		// The transcription arrived after the reply began, yet the stored order is the spoken order.
		const rejoined = await join(token, { email });
		const stored = rejoined.first.type === 'welcome' ? rejoined.first.transcript : [];
		expect(stored.map((turn) => turn.role)).toEqual(['interviewer', 'respondent', 'interviewer']);
		expect(stored[1]!.text).toBe('I run the support team at a small bakery.');
		rejoined.socket.close();
	});
});

describe('OpenAI Realtime provider: interruptions, drops, typed answers, secrets, usage', () => {
	it('barge-in flushes the browser’s playback and truncates the reply to what was played', async () => {
		const { marker, token } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		for (let index = 0; index < 10; index += 1) joined.socket.send(pcmFrame(true));
		await joined.next('playback.flush');
		const [session] = await until(async () => {
			const found = await sessions(marker);
			return found[0]?.truncates.length ? found : undefined;
		});
		const total = session!.replies[0]!.audioBytes / 48;
		expect(session!.truncates[0]!.item_id).toBe(session!.replies[0]!.itemId);
		expect(session!.truncates[0]!.audio_end_ms).toBeLessThan(total);
		// The reply had finished generating (only playback was left), so nothing is cancelled: it is only cut.
		expect(session!.eventTypes).not.toContain('response.cancel');
		const cut = await joined.waitFor((messages) =>
			turnsOf(messages).find((turn) => turn.id === greeting.id && turn.text !== greeting.text)
		);
		expect(cut.text.endsWith('…')).toBe(true);
		expect(session!.protocolErrors).toEqual([]);
		joined.socket.close();
	});

	it('a typed answer becomes a user text item and gets a reply; after an upstream drop the context is replayed', async () => {
		const { marker, token } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I manage a bakery.' }));
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === 'Thank you. Which tools do you use every day?'));
		const [first] = await sessions(marker);
		expect(first!.items).toContainEqual({ role: 'user', type: 'input_text', text: 'I manage a bakery.' });

		expect(await dropUpstream(marker)).toBe(1);
		const second = await until(async () => {
			const found = await sessions(marker);
			return found.length >= 2 && found[1]!.items.length >= 3 ? found[1] : undefined;
		});
		expect(second!.items.slice(0, 3)).toEqual([
			{ role: 'assistant', type: 'output_text', text: 'Hello, thank you for joining. What is your role?' },
			{ role: 'user', type: 'input_text', text: 'I manage a bakery.' },
			{ role: 'assistant', type: 'output_text', text: 'Thank you. Which tools do you use every day?' }
		]);
		expect(second!.instructions).toContain('What is your role?');
		expect(second!.protocolErrors).toEqual([]);

		// The conversation goes on over the new upstream session.
		joined.socket.send(JSON.stringify({ type: 'text', content: 'A spreadsheet.' }));
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === 'Interesting. How did your first week go?'));
		joined.socket.close();
	});

	it('never lets the API key reach the browser, even when upstream quotes it; usage reaches the interview row', async () => {
		const { token } = await openaiInterview();
		const joined = await join(token, { email: respondent() });
		const interviewId = joined.first.type === 'welcome' ? joined.first.interview : '';
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'please fail [[upstream-error]]' }));
		const error = await joined.next('error');
		expect(error).toEqual({ type: 'error', code: 'provider_error', message: PROVIDER_ERRORS.provider_error });
		await until(async () => (logs.some((line) => line.includes('provider.error')) ? true : undefined));
		expect(logs.find((line) => line.includes('provider.error'))).toContain('Incorrect API key provided: [redacted]');
		joined.socket.send(JSON.stringify({ type: 'leave' }));
		await joined.next('ended');

		const text = JSON.stringify(joined.messages);
		expect(text).not.toContain(KEY);
		const binary = new TextDecoder().decode(new Uint8Array((await received(joined.binary)).flatMap((chunk) => [...new Uint8Array(chunk)])));
		expect(binary).not.toContain(KEY);
		expect(logs.join('\n')).not.toContain(KEY);

		const row = await env.DB.prepare('SELECT provider, usage FROM interview WHERE id = ?')
			.bind(interviewId)
			.first<{ provider: string; usage: string }>();
		expect(row!.provider).toBe('openai');
		expect(JSON.parse(row!.usage)).toMatchObject({
			'openai.total_tokens': expect.any(Number),
			'openai.output_audio_tokens': expect.any(Number)
		});
	});
});

describe('the OpenAI session on its own', () => {
	it('moves to a fresh upstream session before the cap, replaying the conversation, and nudges a wrap-up', async () => {
		const marker = `unit-${crypto.randomUUID()}`;
		const { session, recorded } = soloSession(briefFor(marker), { sessionLimitMs: 1_500 });
		await session.start();
		await until(async () => (recorded.history.length >= 1 ? true : undefined));
		const rotated = await until(async () => {
			const found = await sessions(marker);
			return found.length >= 2 && found[1]!.items.length >= 1 ? found : undefined;
		});
		expect(rotated[0]!.closed).toBe(true);
		expect(rotated[1]!.items[0]).toEqual({
			role: 'assistant',
			type: 'output_text',
			text: 'Hello, thank you for joining. What is your role?'
		});
		expect(rotated[1]!.eventTypes).not.toContain('response.create');

		session.wrapUp(30_000);
		const nudged = await until(async () => {
			const found = (await sessions(marker)).at(-1)!;
			return found.items.some((item) => item.role === 'system') ? found : undefined;
		});
		expect(nudged.items.find((item) => item.role === 'system')!.text).toContain('30 seconds remain');
		expect(nudged.eventTypes).toContain('response.create');
		await session.close();
	});
});

describe('audio before the upstream is open', () => {
	it('is buffered and flushed upstream in order, after the configuration, and never echoed to the browser', async () => {
		const marker = `early-${crypto.randomUUID()}`;
		const { session, recorded } = soloSession(briefFor(marker, { language: 'auto' }), {
			connect: async (url, headers) => {
				await new Promise((resolve) => setTimeout(resolve, 300));
				return connectWebSocket(url, headers);
			}
		});
		const toBrowser = recorded.audio;
		const starting = session.start();
		const early = Array.from({ length: 5 }, (_, index) => {
			const frame = new Int16Array(960).fill(index * 7 + 1);
			return frame.buffer;
		});
		for (const frame of early) session.sendAudio(frame, 0);
		expect(toBrowser).toEqual([]);
		await starting;
		// The greeting is asked for once the configuration is answered: wait for it to be whole too.
		const [upstream] = await until(async () => {
			const found = await sessions(marker);
			return found[0] && found[0].audioBytes >= 5 * 1920 && found[0].replies[0]?.status === 'completed' ? found : undefined;
		});
		expect(upstream!.audioSha256).toBe(await sha256(early));
		expect(upstream!.eventTypes.indexOf('session.update')).toBe(0);
		expect(upstream!.session!.audio.input.transcription.language).toBeUndefined();
		const greetingBytes = upstream!.replies.reduce((sum, reply) => sum + reply.audioBytes, 0);
		await until(async () => (toBrowser.reduce((sum, chunk) => sum + chunk.byteLength, 0) >= greetingBytes ? true : undefined));
		expect(toBrowser.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(greetingBytes);
		await session.close();
	});
});
