import type { PublicLink } from '$contracts/links';
import type { ServerMessage, Turn } from '$contracts/protocol';
import { Countdown, wrapUpLeadMs } from './countdown.svelte';
import type { ScreenerAnswers } from '$contracts/screeners';
import { browserLanguages, loadMessages, localeFor } from './i18n';
import type { EndReason, Locale, Messages, RefusalKey } from './i18n';
import { Microphone } from './microphone.svelte';
import { PcmPlayer } from './playback.svelte';
import type { callSocket as CallSocket } from './call-connection';
import { fetchPublicLink } from './public-link';
import { refusalForClose, refusalForLinkState } from './refusals';
import type { InterviewSocket, ServerError, SocketStatus } from './socket';
import { SOCKET_ERROR_REACTIONS, type CallProblem, type SocketErrorReaction } from './socket-errors';
import { LocalVoice } from './local-voice.svelte';
import {
	activeSessionFor,
	rememberActiveSession,
	rememberedEmail,
	rememberEmail,
	rememberResumeToken,
	resumeTokenFor,
	type InputMode
} from './storage';
import { Transcript } from './transcript.svelte';
import { codeRefused, codeRequested, codeResent, codeSubmitted, type Verification } from './verification';
import { CLOSE_CODES, PROTOCOL_VERSION } from './wire';

export type Phase = 'loading' | 'load-failed' | 'refused' | 'onboarding' | 'joining' | 'verify' | 'call' | 'ended' | 'replaced';

const END_REASONS: readonly EndReason[] = ['left', 'deadline', 'completed', 'abandoned'];
/** After `leave`, the server answers with `ended`; if it does not in time, the page ends the call itself. */
const LEAVE_GRACE_MS = 3_000;

/**
 * The respondent's side of one interview: the link, the call over the socket, the microphone,
 * interviewer audio or speech, the transcript and the countdown, as one state the page renders.
 */
export class InterviewSession {
	phase = $state<Phase>('loading');
	link = $state<PublicLink | null>(null);
	refusal = $state<RefusalKey | null>(null);
	endReason = $state<EndReason | null>(null);
	connection = $state<SocketStatus>('connecting');
	inputMode = $state<InputMode>('voice');
	/** The email typed in the onboarding, remembered for this tab so a reload can rejoin. */
	email = $state('');
	/** The provider the server reports; it decides whether interviewer turns are spoken by the browser. */
	provider = $state<string | null>(null);
	/** A problem the server reported during the call, shown above the answer box until the next turn. */
	problem = $state<CallProblem | null>(null);
	verification = $state<Verification | null>(null);
	/** The page rejoined after a reload, when browsers keep audio off until the user taps something. */
	private rejoinedWithoutGesture = $state(false);

	readonly transcript = new Transcript();
	readonly countdown = new Countdown();
	readonly microphone = new Microphone();
	readonly player = new PcmPlayer();
	readonly voice = new LocalVoice(() => this.link);

	private fetchedMessages = $state<Partial<Record<Locale, Messages>>>({});
	locale = $derived(localeFor(this.link?.language, browserLanguages()));
	/** The strings of the page's language, once fetched: null while the page loads, or if they could not be fetched. */
	strings = $derived<Messages | null>(this.fetchedMessages[this.locale] ?? null);
	localMode = $derived((this.provider ?? this.link?.mode) === 'local');
	interviewerSpeaking = $derived(this.player.playing || this.voice.speaking);
	audioBlocked = $derived(this.rejoinedWithoutGesture || this.microphone.suspended || this.player.suspended || this.voice.blocked);
	muted = $derived(this.microphone.muted);
	canSend = $derived(this.phase === 'call' && this.connection === 'connected');
	/** When, before the deadline, the interviewer wraps up and the countdown is announced. */
	wrapUpMs = $derived(this.link?.durationMinutes ? wrapUpLeadMs(this.link.durationMinutes) : null);

	private socket: InterviewSocket | null = null;
	/** Counts joins, so that one given up while the call's code was being fetched opens no socket. */
	private joinAttempt = 0;
	private welcomed = false;
	/** The code typed to prove the email; sent with every hello until the server welcomes us. */
	private rejoinCode: string | null = null;
	/** The answers to the link's screener, sent with every join (the server judges them). */
	screenerAnswers: ScreenerAnswers | null = null;
	private leaveTimer: ReturnType<typeof setTimeout> | undefined;

	/** `suggestedEmail`: what the embedding website knows of the respondent, used unless this tab remembers one. */
	constructor(
		private readonly token: string,
		suggestedEmail: string | null = null
	) {
		this.email = rememberedEmail(token) || (suggestedEmail?.trim().slice(0, 254) ?? '');
	}

	/**
	 * The strings of the page's language. Every view past loading shows only once they are fetched
	 * (`load` waits for them), so the views read them without a check.
	 */
	get t(): Messages {
		return this.strings as Messages;
	}

	async load(): Promise<void> {
		this.phase = 'loading';
		let link: PublicLink | null;
		try {
			// The browser's language says "loading" while the link is fetched; the link's may differ.
			[link] = await Promise.all([fetchPublicLink(this.token), this.fetchMessages(this.locale)]);
			if (link) this.link = link;
			await this.fetchMessages(this.locale);
		} catch {
			this.phase = 'load-failed';
			return;
		}
		if (!link) return this.refuse('unknown');
		// An interview already running in this tab rejoins whatever the link says now: a running
		// interview may finish after the link closes to newcomers, and the socket has the last word.
		const active = activeSessionFor(this.token);
		const refusal = refusalForLinkState(link.state);
		if (!active && refusal) return this.refuse(refusal);
		if (!active) {
			this.phase = 'onboarding';
			return;
		}
		this.inputMode = active.inputMode;
		this.microphone.setMuted(active.muted);
		this.rejoinedWithoutGesture = navigator.userActivation ? !navigator.userActivation.hasBeenActive : false;
		if (active.inputMode === 'voice') void this.microphone.request().then((state) => state !== 'granted' && this.useTextMode());
		this.join();
	}

	/** The Start button: a user gesture, so sound is unlocked here. */
	start(email: string, inputMode: InputMode): void {
		this.email = email.trim();
		if (this.link?.askEmail) rememberEmail(this.token, this.email);
		this.inputMode = inputMode;
		void this.player.unlock();
		this.join();
	}

	useTextMode(): void {
		this.inputMode = 'text';
		this.microphone.stop();
		this.rememberCall();
	}

	sendText(content: string): boolean {
		this.problem = null;
		return this.socket?.send({ type: 'text', content }) ?? false;
	}

	toggleMute(): void {
		const on = !this.microphone.muted;
		this.microphone.setMuted(on);
		this.socket?.send({ type: 'mute', on });
		this.rememberCall();
	}

	leave(): void {
		this.player.flush();
		this.voice.cancel();
		if (!this.socket?.send({ type: 'leave' })) return this.finish('left');
		this.microphone.stop();
		this.leaveTimer = setTimeout(() => this.finish('left'), LEAVE_GRACE_MS);
	}

	/** After "continued in another tab": take the interview back to this tab. */
	continueHere(): void {
		void this.player.unlock();
		if (this.inputMode === 'voice') void this.microphone.request();
		this.join();
	}

	backToOnboarding(): void {
		this.refusal = null;
		this.verification = null;
		this.rejoinCode = null;
		this.dropSocket();
		this.phase = 'onboarding';
	}

	/** The code from the email: the join is asked for again with it. */
	submitRejoinCode(code: string): void {
		if (!this.verification || !this.socket) return;
		this.rejoinCode = code;
		this.verification = codeSubmitted(this.verification);
		this.socket.connect();
	}

	/** A join without a code asks the server to mail a code again (at most once a minute). */
	resendRejoinCode(): void {
		if (!this.verification || !this.socket) return;
		this.rejoinCode = null;
		this.verification = codeResent(this.verification);
		this.socket.connect();
	}

	/** From a tap after a reload: let the microphone and the interviewer's voice run. */
	unlockAudio(): void {
		this.rejoinedWithoutGesture = false;
		void this.player.unlock();
		void this.microphone.resume();
		if (this.voice.blocked || this.localMode) this.voice.repeatLast();
	}

	dispose(): void {
		clearTimeout(this.leaveTimer);
		this.dropSocket();
		this.microphone.stop();
		this.player.close();
		this.voice.cancel();
		this.countdown.stop();
	}

	private async fetchMessages(locale: Locale): Promise<void> {
		if (!this.fetchedMessages[locale]) this.fetchedMessages[locale] = await loadMessages(locale);
	}

	private join(): void {
		this.phase = 'joining';
		this.refusal = null;
		this.welcomed = false;
		this.dropSocket();
		const attempt = this.joinAttempt;
		this.microphone.onFrame = (pcm) => {
			if (this.phase !== 'call' || this.inputMode !== 'voice') return;
			// Without echo cancellation the microphone hears the browser reading the question, and the
			// local interviewer would take that for an answer; its questions are not interruptible anyway.
			if (this.localMode && this.voice.speaking) return;
			this.socket?.sendAudio(pcm);
		};
		// Leaving, a refusal or the page going away while the code is fetched: that join is over.
		const current = () => attempt === this.joinAttempt && this.phase === 'joining';
		import('./call-connection').then(
			({ callSocket }) => {
				if (current()) this.connect(callSocket);
			},
			() => {
				if (current()) this.phase = 'load-failed';
			}
		);
	}

	private connect(callSocket: typeof CallSocket): void {
		const socket = callSocket(this.token, () => this.joinFields(), {
			open: () => this.sendHello(socket),
			message: (message) => this.receive(socket, message),
			audio: (pcm) => {
				if (this.phase === 'call') this.player.enqueue(pcm);
			},
			status: (status) => {
				if (socket === this.socket) this.connection = status;
			},
			refused: (closeCode, lastError) => {
				if (socket === this.socket) this.refused(closeCode, lastError);
			}
		});
		this.socket = socket;
		socket.connect();
	}

	/** Closes the socket, and makes a join whose code is still being fetched open none. */
	private dropSocket(): void {
		this.joinAttempt += 1;
		this.socket?.close();
		this.socket = null;
	}

	/** Who is joining: what the join request and the socket's hello both carry. */
	private joinFields() {
		const resumeToken = resumeTokenFor(this.token) ?? undefined;
		const email = this.link?.askEmail ? this.email : undefined;
		const rejoinCode = this.rejoinCode ?? undefined;
		return {
			consent: true,
			language: this.locale,
			...(email ? { email } : {}),
			...(resumeToken ? { resumeToken } : {}),
			...(rejoinCode ? { rejoinCode } : {}),
			...(this.screenerAnswers ? { screener: this.screenerAnswers } : {})
		};
	}

	private sendHello(socket: InterviewSocket): void {
		socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, ...this.joinFields() });
	}

	private receive(socket: InterviewSocket, message: ServerMessage): void {
		if (socket !== this.socket) return;
		switch (message.type) {
			case 'welcome':
				return this.welcome(socket, message);
			case 'turn':
				return this.receiveTurn(message);
			case 'state':
				this.countdown.sync(message.remainingMs);
				return;
			case 'playback.flush':
				this.player.flush();
				this.voice.cancel();
				return;
			case 'ended':
				return this.finish(END_REASONS.find((reason) => reason === message.reason) ?? 'completed');
			case 'rejoin.verify':
				return this.askForCode(message.email, message.expiresInMs);
			case 'error':
				return this.onError(SOCKET_ERROR_REACTIONS[message.code]);
		}
	}

	/** Refusals arrive with their close; here are the errors the socket survives. */
	private onError(reaction: SocketErrorReaction): void {
		if ('verify' in reaction && this.phase === 'verify' && this.verification) {
			this.rejoinCode = null;
			this.verification = codeRefused(this.verification, reaction.verify);
		}
		if ('problem' in reaction && this.phase === 'call' && reaction.problem) this.problem = reaction.problem;
	}

	/** The server wants the email proven; a later expiry than before means a new code was mailed. */
	private askForCode(email: string, expiresInMs: number): void {
		this.rejoinCode = null;
		this.verification = codeRequested(this.verification, email, expiresInMs, Date.now());
		this.phase = 'verify';
	}

	private welcome(socket: InterviewSocket, message: Extract<ServerMessage, { type: 'welcome' }>): void {
		socket.markJoined();
		this.verification = null;
		this.rejoinCode = null;
		if (message.resumeToken) rememberResumeToken(this.token, message.resumeToken);
		this.provider = message.provider ?? this.provider;
		this.transcript.replaceAll(message.transcript);
		this.countdown.sync(message.remainingMs);
		if (message.status === 'completed' || message.status === 'abandoned') return this.finish(message.status);
		const firstWelcome = !this.welcomed;
		this.welcomed = true;
		this.phase = 'call';
		this.rememberCall();
		if (this.microphone.muted) socket.send({ type: 'mute', on: true });
		this.voice.heard(message.transcript);
		// Joining mid-interview (a reload, a later visit): say the open question again.
		const last = message.transcript.at(-1);
		if (firstWelcome && this.localMode && last?.role === 'interviewer' && last.final) this.voice.speak(last, true);
	}

	private receiveTurn(turn: Turn): void {
		this.transcript.upsert(turn);
		// Local mode only: other providers send the interviewer's own audio.
		if (this.localMode && turn.role === 'interviewer' && turn.final) this.voice.speak(turn, false);
		this.problem = null;
	}

	private refused(closeCode: number, lastError: ServerError | null): void {
		this.problem = null;
		if (closeCode === CLOSE_CODES.replaced) {
			this.phase = 'replaced';
			this.silence();
			return;
		}
		if (closeCode === CLOSE_CODES.ended) return this.finish(this.endReason ?? 'completed');
		this.refuse(refusalForClose(closeCode, lastError?.code ?? null));
	}

	private refuse(refusal: RefusalKey): void {
		this.refusal = refusal;
		this.phase = 'refused';
		rememberActiveSession(this.token, null);
		this.socket?.close();
		this.silence();
	}

	private finish(reason: EndReason): void {
		clearTimeout(this.leaveTimer);
		if (this.phase === 'ended') return;
		this.endReason = reason;
		this.phase = 'ended';
		rememberActiveSession(this.token, null);
		this.socket?.close();
		this.microphone.stop();
		this.countdown.stop();
		// A closing remark may still be playing; let it finish unless the respondent walked out.
		if (reason === 'left') {
			this.player.flush();
			this.voice.cancel();
		}
	}

	/** What a reload of this tab needs to rejoin the call as the respondent left it. */
	private rememberCall(): void {
		if (this.phase === 'call') rememberActiveSession(this.token, { inputMode: this.inputMode, muted: this.microphone.muted });
	}

	private silence(): void {
		this.microphone.stop();
		this.player.flush();
		this.voice.cancel();
		this.countdown.stop();
	}
}
