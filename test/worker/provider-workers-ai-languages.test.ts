import { beforeEach, describe, expect, it } from 'vitest';
import { AURA_1_MODEL, AURA_2_ES_MODEL, FLUX_MODEL, NOVA_MODEL } from '../../worker/ai/workers-ai';
import { AI_REPLIES, AI_REPLIES_ES, AI_TRANSCRIPTS_ES, createFakeAi, type FakeAiOptions } from '../fakes/ai-binding';
import { join, pcmFrame, respondent, sendPaced } from './helpers/interview';
import { followPlayback } from './helpers/playback';
import { concat, interviewLink, turnsOf, useWorkersAi } from './helpers/workers-ai';

let fake = createFakeAi();
useWorkersAi(() => fake);
beforeEach(() => {
	fake = createFakeAi();
});

/** Joins a new interview, waits for the greeting to play to its end, and answers: `loud` frames of speech, then `quiet` of silence. */
async function answerGreeting(settings: Record<string, unknown>, loud: number, quiet: number, options: FakeAiOptions = {}) {
	fake = createFakeAi(options);
	const joined = await join((await interviewLink(settings)).token, { email: respondent() });
	const playback = followPlayback(joined);
	const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
	await playback.played(concat(fake.record.tts.map((call) => call.pcm)).byteLength);
	await sendPaced(
		joined.socket,
		Array.from({ length: loud + quiet }, (_, index) => pcmFrame(index < loud))
	);
	const answer = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'respondent'));
	return { joined, greeting, answer };
}

describe('Workers AI picks its speech models by the interview’s language', () => {
	it('a Spanish interview hears with Nova-3 in Spanish and speaks with Aura-2’s Spanish voice', async () => {
		// Patient: Nova-3 ends the turn 1.5 s into the silence.
		const { joined, greeting, answer } = await answerGreeting({ voice: 'javier', language: 'es' }, 15, 45);
		expect(greeting.text).toBe(AI_REPLIES_ES[0]);
		expect(fake.record.llm[0]![0]!.content).toContain('Conduct the interview in Spanish');
		const spoken = fake.record.tts.slice(0, 2);
		expect(spoken.map((call) => [call.model, call.speaker, call.text])).toEqual([
			[AURA_2_ES_MODEL, 'javier', 'Hola, gracias por venir.'],
			[AURA_2_ES_MODEL, 'javier', '¿Cuál es su función?']
		]);
		expect(fake.record.sttSockets.map((socket) => socket.model)).toEqual([NOVA_MODEL]);
		expect(fake.record.sttSockets[0]!.inputs).toEqual({
			encoding: 'linear16',
			sample_rate: '24000',
			language: 'es',
			punctuate: true,
			smart_format: true,
			interim_results: true,
			vad_events: true,
			endpointing: '1500',
			utterance_end_ms: '2500'
		});
		expect(answer.text).toBe(AI_TRANSCRIPTS_ES[0]);
		await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.text === AI_REPLIES_ES[1]));
		expect(fake.record.errors).toEqual([]);
		joined.socket.close();
	});

	it('in a noisy room, where silence never reads as the end of speech, Nova-3’s utterance end closes the answer', async () => {
		// Quick: the stretch is finalized 0.6 s into the silence, the utterance ends 1.2 s after the last word.
		const { joined, answer } = await answerGreeting({ voice: 'celeste', language: 'es', patience: 'quick' }, 15, 45, { noisyRoom: true });
		expect(fake.record.sttSockets[0]!.inputs).toMatchObject({ endpointing: '600', utterance_end_ms: '1200' });
		expect(answer.text).toBe(AI_TRANSCRIPTS_ES[0]);
		joined.socket.close();
	});

	it('English, and "auto", keep Flux and Aura-1', async () => {
		for (const language of ['en', 'auto']) {
			fake = createFakeAi();
			const joined = await join((await interviewLink({ voice: 'orion', language })).token, { email: respondent() });
			const greeting = await joined.waitFor((messages) => turnsOf(messages).find((turn) => turn.role === 'interviewer'));
			expect(greeting.text).toBe(AI_REPLIES[0]);
			expect(fake.record.sttSockets.map((socket) => socket.model)).toEqual([FLUX_MODEL]);
			expect(fake.record.tts.map((call) => [call.model, call.speaker])).toEqual([
				[AURA_1_MODEL, 'orion'],
				[AURA_1_MODEL, 'orion']
			]);
			joined.socket.close();
		}
	});
});
