import { durationMs, spokenPart } from '../pcm';
import type { ProviderContext } from '../provider';
import type { SpeakingModel } from './languages';
import { LLM_MODEL, type WorkersAi } from './models';
import { isContextLengthError, OPENING, prompts } from './prompt';
import { synthesize } from './speech';
import { readSse, sentences, toFrames } from './stream';

/** The longest reply, in tokens: a turn is one or two sentences. */
const MAX_REPLY_TOKENS = 400;
/** How long a sentence that was never synthesized (its reply was cut first) is taken to last, so the heard share of the text stays right. */
const UNSPOKEN_MS_PER_CHAR = 60;

/** One interviewer reply: its text as it streams, its audio as it was relayed, and where a barge-in cut it. */
type Reply = {
	key: string;
	generation: number;
	startMs: number | null;
	firstAudioAt: number | null;
	audioMs: number;
	fullMs: number;
	text: string;
	cutAtMs: number | null;
	stored: boolean;
};

/** What replies need besides the provider context (which is read live: its history grows). */
export type ReplyTools = {
	ai: WorkersAi;
	/** The text-to-speech model of the interview's language. */
	speaking: SpeakingModel;
	/** Milliseconds since the interview started. */
	elapsed: () => number;
	/** The next turn's key, shared with the respondent's turns. */
	nextKey: () => string;
	/** Whether the session was closed: no reply starts after that. */
	isClosed: () => boolean;
	/** A reply was stored whole (its review for the moderator follows). */
	replied?: () => void;
};

/**
 * The interviewer's voice in the cascade: Llama writes each reply as a stream and Aura speaks it
 * sentence by sentence, as linear16 24 kHz, which is what the browser plays. A newer reply or a
 * barge-in silences the one playing (each reply belongs to a generation; only the latest speaks).
 */
export class Replies {
	private generation = 0;
	private current: Reply | null = null;
	/** Moderator notes (pacing) for the next reply to hear. */
	private notes: string[] = [];

	constructor(
		private readonly context: ProviderContext,
		private readonly tools: ReplyTools
	) {}

	/** The interviewer opens a new conversation. */
	greet(): void {
		void this.reply(OPENING);
	}

	/** A typed answer stops what is playing, then gets a reply. */
	answerTyped(): void {
		if (this.current) this.interrupt();
		void this.reply();
	}

	/** A note the next reply hears (pacing from the moderator); it is not a reason to speak now. */
	steer(note: string): void {
		this.notes.push(note);
	}

	/** Nothing more is spoken: the session is closing. */
	silence(): void {
		this.generation += 1;
	}

	/**
	 * Barge-in: stop the browser's playback, drop the rest of the reply, keep what was heard. The
	 * browser does not say what it played, so "heard" is the wall clock since the first audio frame.
	 */
	interrupt(): void {
		this.context.events.speechStarted();
		const speaking = this.current;
		this.generation += 1;
		if (!speaking || speaking.cutAtMs !== null) return;
		const played = speaking.firstAudioAt === null ? 0 : Math.min(speaking.audioMs, Date.now() - speaking.firstAudioAt);
		if (speaking.stored && played >= speaking.audioMs) return;
		speaking.cutAtMs = Math.round(played);
		// Already stored in full (all of it was synthesized, not all heard): store the heard part instead.
		if (speaking.stored) this.store(speaking);
	}

	/** One interviewer reply: the LLM streams, and each finished sentence is spoken in order. */
	async reply(note: string | null = null): Promise<void> {
		const { events } = this.context;
		if (this.tools.isClosed()) return;
		this.generation += 1;
		const mine: Reply = {
			key: this.tools.nextKey(),
			generation: this.generation,
			startMs: null,
			firstAudioAt: null,
			audioMs: 0,
			fullMs: 0,
			text: '',
			cutAtMs: null,
			stored: false
		};
		this.current = mine;
		let speaking = Promise.resolve();
		try {
			const notes = [...this.notes.splice(0), ...(note ? [note] : [])];
			const stream = await this.generate(notes.length > 0 ? notes.join('\n') : null);
			const splitter = sentences();
			const say = (sentence: string) => {
				speaking = speaking.then(async () => {
					if (mine.generation === this.generation) mine.fullMs += await this.speak(sentence, mine);
					else mine.fullMs += sentence.length * UNSPOKEN_MS_PER_CHAR;
				});
			};
			for await (const chunk of readSse(stream)) {
				if (chunk.usage)
					events.usage?.(
						Object.fromEntries(
							Object.entries(chunk.usage)
								.filter((entry): entry is [string, number] => typeof entry[1] === 'number')
								.map(([k, v]) => [`workers-ai.llm_${k}`, v])
						)
					);
				if (!chunk.response) continue;
				mine.text += chunk.response;
				for (const sentence of splitter.push(chunk.response)) say(sentence);
			}
			const rest = splitter.end();
			if (rest) say(rest);
			await speaking;
		} catch (error) {
			events.error('provider_error', `reply failed: ${error instanceof Error ? error.message : String(error)}`);
			return;
		}
		if (this.store(mine)) this.tools.replied?.();
	}

	/**
	 * Starts the LLM's stream for a reply. A prompt the model refuses as too long for its context is
	 * sent again shorter (the instructions and the latest turns), so the respondent still gets an answer.
	 */
	private async generate(note: string | null): Promise<ReadableStream<Uint8Array>> {
		let refusal: unknown;
		for (const messages of prompts(this.context, note)) {
			if (refusal) this.context.events.usage?.({ 'workers-ai.llm_prompts_shortened': 1 });
			try {
				return await this.tools.ai.run(LLM_MODEL, { messages, stream: true, max_tokens: MAX_REPLY_TOKENS });
			} catch (error) {
				if (!isContextLengthError(error)) throw error;
				refusal = error;
			}
		}
		throw refusal;
	}

	/**
	 * Speaks one sentence in 40 ms frames, until a newer reply or a barge-in takes over; returns its
	 * full length. A sentence Aura could not speak is skipped (0 ms: nothing of it was heard).
	 */
	private async speak(text: string, reply: Reply): Promise<number> {
		const { ai, elapsed } = this.tools;
		const { brief, events } = this.context;
		const bytes = await synthesize(ai, this.tools.speaking, text, brief.voice);
		if (!bytes) {
			events.usage?.({ 'workers-ai.tts_sentences_skipped': 1 });
			return 0;
		}
		events.usage?.({ 'workers-ai.tts_characters': text.length });
		for (const frame of toFrames(bytes)) {
			if (reply.generation !== this.generation) break;
			if (reply.firstAudioAt === null) {
				reply.firstAudioAt = Date.now();
				reply.startMs = elapsed();
			}
			reply.audioMs += durationMs(frame.byteLength);
			events.audio(frame);
		}
		return durationMs(bytes.byteLength);
	}

	/** Stores what of the reply was heard; false when nothing was. */
	private store(reply: Reply): boolean {
		const fullMs = Math.max(reply.fullMs, reply.audioMs);
		const text = reply.cutAtMs === null ? reply.text : spokenPart(reply.text, reply.cutAtMs, fullMs);
		if (!text.trim()) return false;
		reply.stored = true;
		void this.context.events.turn({
			key: reply.key,
			role: 'interviewer',
			text: text.trim(),
			final: true,
			startMs: reply.startMs ?? this.tools.elapsed()
		});
		return true;
	}
}
