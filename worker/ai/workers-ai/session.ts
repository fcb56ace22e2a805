import { wrapUpNote } from '../instructions';
import { turnTakingOf } from '../patience';
import type { ProviderContext, ProviderSession } from '../provider';
import { reportDropped, Upstream, UpstreamError, WARN_AFTER_ATTEMPT } from '../upstream';
import type { Heard } from './hearing';
import { speechFor } from './languages';
import type { WorkersAi } from './models';
import { createCascadeModeration } from './moderation';
import { Replies } from './replies';

const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];

export type WorkersAiOptions = { ai: WorkersAi; backoffMs?: number[] };

/**
 * The Workers AI cascade: a Deepgram model transcribes the respondent over a WebSocket (the upstream,
 * reopened when it drops) and says where their turns end (Flux in English, Nova-3 in Spanish), and
 * each finished turn gets the interviewer's reply (`Replies`: Llama writes it, Aura speaks it).
 */
export function createWorkersAiSession(context: ProviderContext, options: WorkersAiOptions): ProviderSession {
	const { events, brief, memory } = context;
	const { ai } = options;
	const speech = speechFor(brief.language);
	const listener = speech.listener(turnTakingOf(brief));
	const elapsed = context.elapsedMs ?? (() => brief.durationMinutes * 60_000 - context.remainingMs());
	/** Where the respondent's current turn began (the model's speech start), for the turn its end closes. */
	let turnStart: { startMs: number } | null = null;
	let reportedSttMs = 0;

	const nextKey = () => {
		const count = (memory.get<number>('workers-ai.turns') ?? 0) + 1;
		memory.set('workers-ai.turns', count);
		return `wai-${count}`;
	};

	const upstream = new Upstream(
		{
			async connect() {
				listener.reset();
				const response = await listener.open(ai);
				const socket = response.webSocket;
				if (!socket) {
					// A refused upgrade comes back as the binding's HTTP answer: our account (no more tries) or the service.
					const { status } = response;
					await response.body?.cancel();
					throw new UpstreamError(
						status === 401 || status === 403 ? 'provider_auth' : 'provider_unavailable',
						`speech-to-text (${listener.model}) refused the connection (HTTP ${status})`
					);
				}
				socket.accept();
				return socket;
			},
			message: (text) => {
				const heard = listener.hear(text);
				if (heard) onHeard(heard);
			},
			// Deepgram's streaming models take the raw linear16 bytes.
			audioMessage: (pcm) => pcm,
			failed: (code) =>
				events.error(
					code,
					`speech recognition: ${code === 'provider_reconnecting' ? `reconnect attempt ${WARN_AFTER_ATTEMPT} failed` : 'refused'}`
				)
		},
		{ backoffMs: options.backoffMs ?? BACKOFF_MS, timelineIncludesWaitingAudio: true }
	);
	const replies: Replies = new Replies(context, {
		ai,
		speaking: speech.speaking,
		elapsed,
		nextKey,
		isClosed: () => upstream.hasEnded,
		replied: () => moderation.afterReply()
	});
	const moderation = createCascadeModeration(context, ai, replies);

	/** Interview time of a moment the speech-to-text model reports, in seconds of the audio sent on its socket. */
	function place(seconds: number | undefined): number {
		if (seconds === undefined) return elapsed();
		const atMs = upstream.timeline.place(seconds * 1000);
		return atMs === undefined ? elapsed() : Math.round(atMs);
	}

	/** Speech-to-text minutes are reported per turn, not per frame: usage is a storage write. */
	function reportStt(): void {
		const unreported = upstream.audioSentMs - reportedSttMs;
		if (unreported <= 0) return;
		events.usage?.({ 'workers-ai.stt_audio_ms': Math.round(unreported) });
		reportedSttMs = upstream.audioSentMs;
	}

	function onHeard(heard: Heard): void {
		if (heard.kind === 'speech-started') {
			turnStart = { startMs: place(heard.atSeconds) };
			replies.interrupt();
			return;
		}
		const text = heard.transcript.trim();
		const startMs = turnStart?.startMs ?? place(heard.startSeconds);
		turnStart = null;
		reportStt();
		if (!text) return;
		void Promise.resolve(
			events.turn({ key: nextKey(), role: 'respondent', text, final: true, startMs, endMs: place(heard.endSeconds) })
		).then(() => replies.reply());
	}

	return {
		name: 'workers-ai',
		async start() {
			const isNew = !context.history.some((turn) => turn.role === 'interviewer');
			await upstream.open();
			if (isNew) replies.greet();
		},
		sendAudio(pcm, atMs) {
			upstream.sendAudio(pcm, atMs);
		},
		sendText() {
			replies.answerTyped();
		},
		wrapUp(remainingMs, lastQuestion) {
			moderation.wrappingUp();
			void replies.reply(wrapUpNote(remainingMs, lastQuestion));
		},
		steer(note) {
			replies.steer(note);
		},
		async close() {
			replies.silence();
			reportStt();
			upstream.close();
			reportDropped(upstream, events);
		}
	};
}
