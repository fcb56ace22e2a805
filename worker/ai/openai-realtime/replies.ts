/** The interviewer's replies: their audio relayed to the browser, their transcripts stored, and barge-in. */
import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { durationMs, fromBase64, spokenPart } from '../pcm';
import type { ProviderEvents } from '../provider';
import { cancelResponse, truncateItem } from './client-events';

/** Replies remembered by item id: enough for the one playing and the few whose transcripts are late. */
const MAX_REPLIES = 32;

/** One interviewer reply: its audio as it was relayed, its transcript, and where a barge-in cut it. */
type Reply = {
	itemId: string;
	firstAudioAt: number | null;
	startMs: number | null;
	audioMs: number;
	transcript: string | null;
	cutAtMs: number | null;
};

export type RepliesContext = {
	events: ProviderEvents;
	send: (event: RealtimeClientEvent) => void;
	/** Milliseconds since the interview started. */
	elapsed: () => number;
	/** The wall clock, in milliseconds: how long a reply has been playing. */
	now: () => number;
};

export class Replies {
	private current: Reply | null = null;
	private readonly replies = new Map<string, Reply>();

	constructor(private readonly context: RepliesContext) {}

	/** A fresh upstream session has nothing playing. */
	reset(): void {
		this.current = null;
	}

	/** Interviewer audio: to the browser, unless a barge-in already cut its reply. */
	audio(itemId: string, delta: string): void {
		const reply = this.replyFor(itemId);
		this.current = reply;
		if (reply.cutAtMs !== null) return;
		const pcm = fromBase64(delta);
		if (reply.firstAudioAt === null) {
			reply.firstAudioAt = this.context.now();
			reply.startMs = this.context.elapsed();
		}
		reply.audioMs += durationMs(pcm.byteLength);
		this.context.events.audio(pcm);
	}

	/** The whole transcript of a reply (also sent when it was cut short or cancelled): the turn to store. */
	transcript(itemId: string, text: string): void {
		const reply = this.replyFor(itemId);
		reply.transcript = text.trim();
		if (reply.startMs === null) reply.startMs = this.context.elapsed();
		if (reply.transcript) this.store(reply);
	}

	/**
	 * Barge-in: stop the browser's playback, cancel the reply (when `replying`, it is still being
	 * generated) and cut it to what was heard. The browser does not say what it played, so "heard" is
	 * the wall clock since the first audio frame. The cut rounds down: OpenAI refuses a cut past the
	 * end of the audio, and a reply's audio rarely ends on a whole millisecond.
	 */
	interrupt(replying: boolean): void {
		this.context.events.speechStarted();
		const reply = this.current;
		if (!reply || reply.firstAudioAt === null || reply.cutAtMs !== null) return;
		const played = Math.min(reply.audioMs, this.context.now() - reply.firstAudioAt);
		if (played >= reply.audioMs) return;
		reply.cutAtMs = Math.max(0, Math.floor(played));
		if (replying) this.context.send(cancelResponse());
		this.context.send(truncateItem(reply.itemId, reply.cutAtMs));
		this.store(reply);
	}

	private replyFor(itemId: string): Reply {
		let reply = this.replies.get(itemId);
		if (!reply) {
			reply = { itemId, firstAudioAt: null, startMs: null, audioMs: 0, transcript: null, cutAtMs: null };
			this.replies.set(itemId, reply);
			if (this.replies.size > MAX_REPLIES) this.replies.delete(this.replies.keys().next().value!);
		}
		return reply;
	}

	private store(reply: Reply): void {
		if (reply.transcript === null) return;
		const text = reply.cutAtMs === null ? reply.transcript : spokenPart(reply.transcript, reply.cutAtMs, reply.audioMs);
		void this.context.events.turn({
			key: `openai-${reply.itemId}`,
			role: 'interviewer',
			text,
			final: true,
			startMs: reply.startMs ?? this.context.elapsed()
		});
	}
}
