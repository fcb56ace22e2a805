import { beforeEach, describe, expect, it } from 'vitest';
import { AI_REPLIES, AI_TRANSCRIPTS, createFakeAi, speech, tokensOf } from '../fakes/ai-binding';
import { linkObject, stored } from './helpers/durable';
import { GUIDE, join, pcmFrame, respondent } from './helpers/interview';
import { followPlayback } from './helpers/playback';
import { concat, interviewLink, received, replies, sha256, turnsOf, until, useWorkersAi } from './helpers/workers-ai';

let fake = createFakeAi();
useWorkersAi(() => fake);
beforeEach(() => {
	fake = createFakeAi();
});

const interview = async (settings: Record<string, unknown> = {}) => (await interviewLink(settings)).token;

describe('Workers AI cascade against the fake AI binding', () => {
	it('greets with the guide in the prompt and speaks it sentence by sentence, byte for byte, as linear16 24 kHz', async () => {
		const joined = await join(await interview(), { email: respondent() });
		const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		expect(greeting.text).toBe(AI_REPLIES[0]);
		const system = fake.record.llm[0]![0]!.content;
		for (const question of GUIDE.sections.flatMap((section) => section.questions)) expect(system).toContain(question.text);
		expect(fake.record.tts.map((call) => call.text)).toEqual(['Hello, thanks for joining.', 'What is your role?']);
		expect(fake.record.tts.every((call) => call.speaker === 'luna')).toBe(true);
		const expected = concat(fake.record.tts.map((call) => call.pcm));
		const played = await until(async () => {
			const bytes = concat(await received(joined.binary));
			return bytes.byteLength >= expected.byteLength ? bytes : undefined;
		});
		expect(await sha256(played)).toBe(await sha256(expected));
		expect(fake.record.errors).toEqual([]);
		joined.socket.close();
	});

	it('keeps the last words of a reply whose stream ends without a newline', async () => {
		fake = createFakeAi({ llmStreamEnd: 'cut' });
		const joined = await join(await interview(), { email: respondent() });
		const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		expect(greeting.text).toBe(AI_REPLIES[0]);
		expect(fake.record.tts.map((call) => call.text)).toEqual(['Hello, thanks for joining.', 'What is your role?']);
		joined.socket.close();
	});

	it('skips a sentence Aura answers with an error, an MP3 or a WAV: the reply is stored whole, and only PCM is played', async () => {
		for (const kind of ['error', 'mp3', 'wav', 'mpeg-frames'] as const) {
			fake = createFakeAi();
			fake.answerSpeech('Hello, thanks for joining.', kind);
			const link = await interviewLink();
			const joined = await join(link.token, { email: respondent() });
			const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
			expect(greeting.text).toBe(AI_REPLIES[0]);
			// The turn is stored after the reply's last frame was sent, so every frame has arrived by now.
			expect(await sha256(concat(await received(joined.binary))), kind).toBe(await sha256(speech('What is your role?')));
			const usage = await stored(linkObject(link.id), (store) => store.getMeta<Record<string, number>>('usage'));
			expect(usage?.['workers-ai.tts_sentences_skipped'], kind).toBe(1);
			joined.socket.close();
		}
	});

	it('answers when the conversation outgrows the LLM’s context: the reply is retried with the system prompt and the latest turns', async () => {
		const joined = await join(await interview(), { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		// Room for the instructions, the reply's 400 tokens and about 1,400 characters of conversation.
		fake.limitContext(tokensOf(fake.record.llm[0]!) + 400 + 350);
		const long = (topic: string) => `${topic} `.repeat(Math.ceil(1_000 / (topic.length + 1))).trim();
		const answers = [long('We bake bread and cakes every morning.'), long('Orders come in by phone and by email.')];
		joined.socket.send(JSON.stringify({ type: 'text', content: answers[0] }));
		await joined.waitFor((messages) => (replies(messages) >= 2 ? true : undefined));
		expect(fake.record.llmRefused).toEqual([]);
		joined.socket.send(JSON.stringify({ type: 'text', content: answers[1] }));
		await joined.waitFor((messages) => (replies(messages) >= 3 ? true : undefined));
		expect(joined.messages.filter((message) => message.type === 'error')).toEqual([]);
		const refused = fake.record.llmRefused.at(-1)!;
		const retried = fake.record.llm.at(-1)!;
		expect(refused).toBeDefined();
		expect(retried[0]).toEqual(refused[0]);
		expect(retried.at(-1)).toEqual({ role: 'user', content: answers[1] });
		expect(tokensOf(retried)).toBeLessThan(tokensOf(refused));
		expect(retried.some((message) => message.content === answers[0])).toBe(false);
		joined.socket.close();
	});

	it('relays the respondent’s audio to speech-to-text byte for byte, stores the transcript, then replies', async () => {
		const email = respondent();
		const token = await interview();
		const joined = await join(token, { email });
		const playback = followPlayback(joined);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		// Speak once the whole greeting has played, so the answer follows it rather than interrupting it.
		await playback.played(concat(fake.record.tts.map((call) => call.pcm)).byteLength);
		const sent: ArrayBuffer[] = [];
		for (let index = 0; index < 40; index += 1) {
			const frame = pcmFrame(index >= 5 && index < 25);
			sent.push(frame);
			joined.socket.send(frame);
		}
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[1]));
		const upstream = await until(() =>
			concat(fake.record.sttSockets[0]!.audio).byteLength >= 40 * 1920 ? fake.record.sttSockets[0]!.audio : undefined
		);
		expect(await sha256(concat(upstream))).toBe(await sha256(concat(sent)));
		// The LLM saw the conversation so far (after the opening cue), the respondent's words last.
		const prompt = fake.record.llm[1]!;
		expect(prompt[1]!.role).toBe('user');
		expect(prompt.slice(2)).toEqual([
			{ role: 'assistant', content: AI_REPLIES[0] },
			{ role: 'user', content: AI_TRANSCRIPTS[0] }
		]);
		const rejoined = await join(token, { email });
		const stored = rejoined.first.type === 'welcome' ? rejoined.first.transcript : [];
		expect(stored.map((turn) => [turn.role, turn.text])).toEqual([
			['interviewer', AI_REPLIES[0]],
			['respondent', AI_TRANSCRIPTS[0]],
			['interviewer', AI_REPLIES[1]]
		]);
		expect(fake.record.errors).toEqual([]);
		rejoined.socket.close();
	});

	it('hears turns in both shapes Flux messages come in: Workers AI’s (an `event`, no `type`) and Deepgram’s (`type: TurnInfo`)', async () => {
		for (const fluxShape of ['workers-ai', 'deepgram'] as const) {
			fake = createFakeAi({ fluxShape });
			const joined = await join(await interview(), { email: respondent() });
			const playback = followPlayback(joined);
			await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
			await playback.played(concat(fake.record.tts.map((call) => call.pcm)).byteLength);
			for (let index = 0; index < 30; index += 1) joined.socket.send(pcmFrame(index < 15));
			const answer = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'respondent'));
			expect(answer.text).toBe(AI_TRANSCRIPTS[0]);
			await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[1]));
			joined.socket.close();
		}
	});

	it('gives Flux the interviewer’s patience: a quick one ends a turn at a pause a patient one waits through', async () => {
		const answered = async (patience: string) => {
			fake = createFakeAi();
			const joined = await join(await interview({ patience }), { email: respondent() });
			const playback = followPlayback(joined);
			await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
			await playback.played(concat(fake.record.tts.map((call) => call.pcm)).byteLength);
			// A 600 ms answer, then a 120 ms pause to think.
			for (let index = 0; index < 18; index += 1) joined.socket.send(pcmFrame(index < 15));
			await until(() => (concat(fake.record.sttSockets[0]!.audio).byteLength >= 18 * 1920 ? true : undefined));
			await new Promise((resolve) => setTimeout(resolve, 300));
			const endedAtPause = turnsOf(joined.messages).some((turn) => turn.role === 'respondent');
			for (let index = 0; index < 6; index += 1) joined.socket.send(pcmFrame(false));
			await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'respondent'));
			joined.socket.close();
			return { inputs: fake.record.sttSockets[0]!.inputs, endedAtPause };
		};
		const patient = await answered('patient');
		expect(patient.inputs).toMatchObject({ eot_threshold: '0.85', eot_timeout_ms: '7000' });
		expect(patient.endedAtPause).toBe(false);
		const quick = await answered('quick');
		expect(quick.inputs).toMatchObject({ eot_threshold: '0.6', eot_timeout_ms: '3000' });
		expect(quick.endedAtPause).toBe(true);
	});

	it('barge-in flushes playback and keeps only the part of the reply that was heard', async () => {
		const joined = await join(await interview(), { email: respondent() });
		const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		for (let index = 0; index < 6; index += 1) joined.socket.send(pcmFrame(true));
		await joined.next('playback.flush');
		const cut = await joined.waitFor((messages) =>
			turnsOf(messages).find((turn) => turn.id === greeting.id && turn.text !== greeting.text)
		);
		expect(cut.text.length).toBeLessThan(greeting.text.length);
		joined.socket.close();
	});

	it('a typed answer reaches the LLM as user text; a dropped speech-to-text socket is reopened and audio flows again', async () => {
		const joined = await join(await interview(), { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		joined.socket.send(JSON.stringify({ type: 'text', content: 'I manage a bakery.' }));
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES[1]));
		expect(fake.record.llm[1]!.at(-1)).toEqual({ role: 'user', content: 'I manage a bakery.' });

		fake.dropSttOnNextAudio();
		joined.socket.send(pcmFrame(false));
		await until(() => (fake.record.sttSockets.length >= 2 ? true : undefined));
		const frame = pcmFrame(false);
		joined.socket.send(frame);
		await until(() => (fake.record.sttSockets[1]!.audio.length > 0 ? true : undefined));
		expect(fake.record.sttSockets[1]!.audio[0]!.byteLength).toBe(frame.byteLength);
		joined.socket.close();
	});

	it('a speech-to-text upgrade refused for our account is not retried, and the respondent hears why', async () => {
		fake.refuseStt(401);
		const joined = await join(await interview(), { email: respondent() });
		const error = await joined.next('error');
		expect(error).toMatchObject({ code: 'provider_unavailable' });
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(fake.sttAttempts).toBe(1);
		joined.socket.close();
	});

	it('speech and speech synthesis stay out of the browser’s reach: no AI binding detail in frames', async () => {
		const joined = await join(await interview(), { email: respondent() });
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
		expect(JSON.stringify(joined.messages)).not.toContain('@cf/');
		expect(speech('x').byteLength).toBeGreaterThan(0);
		joined.socket.close();
	});
});
